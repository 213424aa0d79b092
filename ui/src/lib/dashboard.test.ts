import { describe, expect, it } from 'vitest'
import { campaignSteps, histogram, publicityDetail, type Dashboard } from './dashboard'

type Over = { status?: 'draft' | 'selected' | 'published'; returns?: number; tie?: number; held?: number; applied?: number; stale?: boolean; publicised?: boolean }

function dash(over: Over = {}): Dashboard {
  const status = over.status ?? 'draft'
  const notice = over.stale ? '数据已变化：当前结果是2026-11-27 10:00运行评选的结果，此后申报数据有变化，请重新运行评选。' : null
  const applied =
    over.applied === undefined
      ? null
      : { date: '2026-12-01', due: over.applied, operator: '王科员', applied_at: '2026-12-03T14:05:00+08:00' }
  return {
    campaign: { year: 2026, title: 't', status, created_at: '', returns: over.returns ?? 0, files: 0, stale: !!over.stale, demo: false, deletable: true },
    scheme: { components: 5, vetoes: 4, quota_rules: 3, daily_share: '0.3', composite_min: '85', fixed_seats: 2 },
    files: { live: over.returns ? 2 : 0, partial: 0, withdrawn: 0 },
    selection: {
      pools: 4,
      quota: 10,
      statuses: { selected: 10, tie_pending: over.tie ?? 0, not_selected: 30, ineligible: 20 },
      tiers: [],
      composites: [],
    },
    review: { active: over.held ?? 0, rectifying: 0, revoked: 0, applied },
    ledger: { date: '2026-06-10', warn_days: 7, overdue: 0, due_soon: 0 },
    // As the core says: done once published or once nothing stands in the way.
    publicity:
      status === 'published' || over.publicised
        ? { working_days: 5, rounds: 1, publicised: 10, objections: 0, objections_open: 0, done: true, left: [], can_publish_on: null }
        : {
            working_days: 5,
            rounds: 0,
            publicised: 0,
            objections: 0,
            objections_open: 0,
            done: false,
            left: ['尚未公示（评选方案要求公示5个工作日），请先开始公示'],
            can_publish_on: null,
          },
    run:
      status === 'draft'
        ? null
        : {
            last: { id: 1, at: '2026-11-27T10:00:00+08:00', operator: '王科员', trigger: 'run', returns: 70, selected: 10, tie_pending: over.tie ?? 0 },
            changed: over.stale ? ['returns'] : [],
            notice,
          },
  }
}

const states = (d: Dashboard) => campaignSteps(d).map((s) => s.state)

describe('campaign steps', () => {
  it('starts at the import', () => {
    const steps = campaignSteps(dash())
    // An empty registry is not "nothing to review": the review step asks for the registry.
    expect(steps.map((s) => s.state)).toEqual(['done', 'current', 'todo', 'todo', 'todo', 'todo'])
    expect(steps[4].left).toBe('导入历年命名记录（复查需要）')
    expect(steps[0].detail).toBe('5项考核指标 · 4项一票否决 · 3条名额规则')
    expect(steps[1].left).toBe('导入各单位报送的申报表')
  })

  it('asks to run the selection, then to resolve ties', () => {
    expect(states(dash({ returns: 70, held: 1 }))).toEqual(['done', 'done', 'current', 'todo', 'todo', 'todo'])
    const tied = campaignSteps(dash({ returns: 70, status: 'selected', tie: 2 }))
    expect(tied[2].state).toBe('current')
    expect(tied[2].left).toBe('2家并列待定，需评审组决定')
    // A run whose inputs changed since is not done: it is run again first.
    const stale = campaignSteps(dash({ returns: 70, status: 'selected', held: 3, stale: true }))
    expect(stale[2].state).toBe('current')
    expect(stale[2].left).toBe('数据已变化，重新运行评选')
  })

  it('asks for the 公示 after the selection, with the core’s reasons', () => {
    const steps = campaignSteps(dash({ returns: 70, status: 'selected' }))
    expect(steps.map((s) => s.key)).toEqual(['scheme', 'imports', 'selection', 'publicity', 'review', 'publish'])
    expect(steps[3].state).toBe('current')
    expect(steps[3].title).toBe('公示')
    expect(steps[3].path).toBe('/publicity')
    expect(steps[3].left).toBe('尚未公示（评选方案要求公示5个工作日），请先开始公示')
    expect(steps[3].detail).toBe('尚未公示')
  })

  it('says what the publicity did', () => {
    const p = dash({ publicised: true }).publicity
    expect(publicityDetail(p)).toBe('1轮 · 公示10家 · 无异议')
    expect(publicityDetail({ ...p, rounds: 2, publicised: 11, objections: 2, objections_open: 1 })).toBe(
      '2轮 · 公示11家 · 异议2条（未处理1条）',
    )
    expect(publicityDetail({ ...p, working_days: 0, rounds: 0 })).toBe('评选方案不设公示')
  })

  it('needs the registry, then a review when awards are held', () => {
    expect(states(dash({ returns: 70, status: 'selected', publicised: true }))).toEqual(['done', 'done', 'done', 'done', 'current', 'todo'])
    const held = campaignSteps(dash({ returns: 70, status: 'selected', held: 12, publicised: true }))
    expect(held[4].state).toBe('current')
    expect(held[4].left).toBe('对已命名单位进行复查并应用结果')
    const applied = campaignSteps(dash({ returns: 70, status: 'selected', held: 12, applied: 3 }))[4]
    expect(applied.state).toBe('done')
    expect(applied.detail).toBe('命名记录：保持12 · 整改中0 · 已撤销0 · 已于2026-12-03应用复查结果（复查3家）')
    // A review that found nobody due, applied, also completes the step.
    expect(states(dash({ returns: 70, status: 'selected', held: 12, applied: 0 }))[4]).toBe('done')
  })

  it('is complete once published', () => {
    expect(states(dash({ returns: 70, status: 'published', held: 3, applied: 3 }))).toEqual(Array(6).fill('done'))
  })
})

describe('composite distribution', () => {
  it('bins by five points with everything below 70 together and 100 in the last bin', () => {
    const h = histogram(['69.99', '70', '74.99', '85', '89.99', '90', '100', 'x'])
    expect(h.labels).toEqual(['70以下', '70–75', '75–80', '80–85', '85–90', '90–95', '95–100'])
    expect(h.counts).toEqual([1, 2, 0, 0, 2, 1, 1])
  })
})

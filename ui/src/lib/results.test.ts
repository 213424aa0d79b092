import { describe, expect, it } from 'vitest'
import {
  NO_POOL,
  filterResults,
  formatScore,
  needsQuotaConfirmation,
  overrideActions,
  publishBlocker,
  resultLabel,
  resultTabs,
  resultTag,
  runLine,
  runMessage,
  tierLabel,
  validateReason,
  type PoolView,
  type ResultRow,
  type ResultsView,
  type RunState,
} from './results'

function row(over: Partial<ResultRow> = {}): ResultRow {
  return {
    agency_id: 1,
    uscc: null,
    name: '广州市审计局',
    tier: 'city',
    region: '广州市',
    unit_type: '政府机关',
    components: ['90', null],
    component_notes: [],
    daily: '90',
    annual: '90.5',
    composite: '90.35',
    rank: 1,
    status: 'selected',
    reasons: [],
    pool: 'city/广州市',
    applied_override: null,
    eligible: true,
    ...over,
  }
}

function pool(over: Partial<PoolView> = {}): PoolView {
  return {
    label: '市级/广州市',
    pool: 'city/广州市',
    rule: 1,
    tier: 'city',
    declared: 3,
    base: 3,
    eligible: 3,
    quota: 1,
    selected: 1,
    tie_pending: 0,
    ...over,
  }
}


function run(over: Partial<RunState> = {}): RunState {
  return {
    last: { id: 1, at: '2026-11-27T10:05:09+08:00', operator: '王科员', trigger: 'run', returns: 3, selected: 1, tie_pending: 0 },
    changed: [],
    notice: null,
    ...over,
  }
}

function view(over: Partial<ResultsView> = {}): ResultsView {
  return {
    year: 2026,
    status: 'selected',
    components: [],
    daily_label: '日常考核',
    pools: [pool()],
    unpooled: 0,
    total: 1,
    counts: { selected: 1, tie_pending: 0, not_selected: 0, ineligible: 0 },
    pool: 'city/广州市',
    results: [row()],
    run: run(),
    returns: 1,
    reference_date: null,
    ...over,
  }
}

describe('scores', () => {
  it('shows two decimals, rounding half away from zero without floating point', () => {
    expect(formatScore('90.8')).toBe('90.80')
    expect(formatScore('95')).toBe('95.00')
    expect(formatScore('90.125')).toBe('90.13')
    expect(formatScore('90.1249')).toBe('90.12')
    expect(formatScore('89.995')).toBe('90.00')
    expect(formatScore('0.004')).toBe('0.00')
    expect(formatScore('-0.005')).toBe('-0.01')
    expect(formatScore('1.005')).toBe('1.01') // 1.005 is 1.00499… as a double
    expect(formatScore(null)).toBe('—')
    expect(formatScore('abc')).toBe('—')
  })
})

describe('labels', () => {
  it('names statuses and tiers in Chinese', () => {
    expect(resultLabel('tie_pending')).toBe('并列待定')
    expect(resultTag('ineligible')).toBe('danger')
    expect(resultLabel('odd')).toBe('odd')
    expect(tierLabel('county')).toBe('县级')
  })
})

describe('tabs and filters', () => {
  const results = [
    row({ agency_id: 1 }),
    row({ agency_id: 2, name: '广州市统计局', status: 'tie_pending', uscc: '11440100X' }),
    row({ agency_id: 3, name: '某协会', pool: null, status: 'ineligible', reasons: ['没有适用的名额规则'] }),
  ]

  it('has a tab per pool and one for returns without a pool', () => {
    const tabs = resultTabs(view({ pools: [pool({ tie_pending: 2 })], unpooled: 1 }))
    expect(tabs).toEqual([
      { key: 'city/广州市', label: '市级/广州市', tier: 'city', rows: 3, pending: 2, selected: 1, quota: 1 },
      { key: NO_POOL, label: '无适用名额', tier: null, rows: 1, pending: 0, selected: 0, quota: 0 },
    ])
    expect(resultTabs(view({ unpooled: 0 })).map((t) => t.key)).toEqual(['city/广州市'])
  })

  it('filters by status and searches name, code, region and type', () => {
    expect(filterResults(results, { status: 'tie_pending', query: '' }).map((r) => r.agency_id)).toEqual([2])
    expect(filterResults(results, { status: '', query: '统计' }).map((r) => r.agency_id)).toEqual([2])
    expect(filterResults(results, { status: '', query: '11440100x' }).map((r) => r.agency_id)).toEqual([2])
    expect(filterResults(results, { status: '', query: '  ' }).length).toBe(3)
  })
})

describe('panel decisions', () => {
  it('offers what makes sense for a row', () => {
    expect(overrideActions(row({ status: 'tie_pending' }))).toEqual(['include', 'exclude'])
    expect(overrideActions(row({ status: 'not_selected' }))).toEqual(['include'])
    expect(overrideActions(row({ status: 'selected' }))).toEqual(['exclude'])
    const fact = { id: 1, agency_id: 1, action: 'include' as const, reason: 'x', beyond_quota: false, operator: 'a', at: '' }
    expect(overrideActions(row({ status: 'selected', applied_override: fact }))).toEqual(['exclude', 'clear'])
  })

  it('requires a reason with substance', () => {
    expect(validateReason('  ')).toMatch(/请填写理由/)
    expect(validateReason('好')).toMatch(/过短/)
    expect(validateReason('评审组复核认为事迹突出')).toBeNull()
    expect(needsQuotaConfirmation({ code: 'override.beyond_quota' })).toBe(true)
    expect(needsQuotaConfirmation({ code: 'override.reason_required' })).toBe(false)
  })

  it('says what blocks publishing', () => {
    expect(publishBlocker(view({ status: 'draft', run: null, pools: [], results: [] }))).toBe('请先运行评选')
    const stale = run({ changed: ['returns'], notice: '数据已变化：……请重新运行评选。' })
    expect(publishBlocker(view({ run: stale }))).toBe('数据已变化：……请重新运行评选。')
    expect(publishBlocker(view({ pools: [pool({ tie_pending: 2 })] }))).toMatch(/2家单位并列待定/)
    expect(publishBlocker(view({ counts: { selected: 0, tie_pending: 0, not_selected: 1, ineligible: 0 } }))).toBe('没有入选单位')
    expect(publishBlocker(view())).toBeNull()
    expect(publishBlocker(view({ status: 'published' }))).toMatch(/已发布/)
  })

  it('names the run a screen shows', () => {
    expect(runLine({ run: null })).toBe('尚未运行评选')
    expect(runLine(view())).toBe('当前结果：2026-11-27 10:05 王科员 运行评选，3 条申报，入选 1 家')
    const tied = run({ last: { ...run().last, trigger: 'override', tie_pending: 2 } })
    expect(runLine({ run: tied })).toBe('当前结果：2026-11-27 10:05 王科员 评审组调整，3 条申报，入选 1 家，并列待定 2 家')
    expect(runMessage({ run: tied })).toBe('评选已运行：3 条申报，入选 1 家，2 家并列待定需评审组决定')
    expect(runLine(view({ reference_date: '2026-11-16' }))).toBe(
      '当前结果：2026-11-27 10:05 王科员 运行评选，3 条申报，入选 1 家；评选基准日：2026-11-16',
    )
  })
})

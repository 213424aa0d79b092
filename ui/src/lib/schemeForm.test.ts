import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createLiveCheck,
  issuesAt,
  move,
  newQuota,
  quotaText,
  freshKey,
  issueText,
  newComponent,
  newVeto,
  percentToRate,
  placedIssue,
  placedIssueIn,
  rateToPercent,
  shiftDecimal,
  usesSource,
  tieBreakOptions,
  unplacedIssues,
  type Checked,
  type SchemeForm,
} from './schemeForm'

function form(): SchemeForm {
  return {
    title: null,
    year: null,
    award_title: '模范机关',
    unit_types: ['政府机关'],
    unit_type_aliases: {},
    tier_aliases: {},
    daily_share: '0.3',
    daily_label: '日常考核',
    daily_aliases: [],
    components: [
      { key: 'self', label: '个人自评', weight: '0.05', aliases: [], source: 'return' },
      { key: 'peer', label: '党员互评', weight: '0.1', aliases: [], source: 'return' },
      { key: 'organisation', label: '组织考评', weight: '0.4', aliases: [], source: 'return' },
      { key: 'public', label: '群众测评', weight: '0.3', aliases: [], source: 'return' },
      { key: 'third_party', label: '第三方评价', weight: '0.15', aliases: [], source: 'return' },
    ],
    missing: 'ineligible',
    composite_min: '85',
    component_min: { public: '90' },
    vetoes: [{ key: 'discipline', label: '发生严重违纪违法问题', aliases: [] }],
    cooldown_years: 3,
    tie_break: ['public', 'organisation'],
    quotas: [newQuota()],
    review: { cycle_years: 3, retain_min: '85', revoke_below: '75', rectify_months: 6, complaints_trigger: 5, rectification_rate_min: '0.8' },
    ballots: {
      choices: [
        { word: '满意', points: '100' },
        { word: '基本满意', points: '80' },
        { word: '一般', points: '60' },
        { word: '不满意', points: '0' },
      ],
      not_counted: ['不了解', '不清楚'],
      min_valid: 30,
      min_return_rate: '0',
    },
    panel: { min_judges: 5, trim: 1 },
    publicity: { working_days: 5 },
    ledger: { warn_days: 7, overdue_blocks_selection: true, accountability_blocks: ['通报', '改组', '纪律处分'] },
  }
}

/** An answer of the core's check naming the form's first weight, so answers can be told apart. */
function answer(f: SchemeForm): Checked {
  return { toml: null, issues: [{ key: 'components[1].weight', line: null, column: null, message: f.components[0].weight }], weight_sum: null }
}

describe('the core check while typing', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function setup(run: (f: SchemeForm) => Promise<Checked> = async (f) => answer(f)) {
    const state = { form: form() as SchemeForm | null, applied: [] as Checked[], errors: [] as unknown[] }
    const calls = vi.fn(run)
    const live = createLiveCheck({
      form: () => state.form,
      run: calls,
      apply: (c) => state.applied.push(c),
      onError: (e) => state.errors.push(e),
      delay: 300,
    })
    return { state, calls, live }
  }

  it('checks once typing pauses, with the form as it stands then', async () => {
    const { state, calls, live } = setup()
    for (const w of ['0', '0.', '0.0', '0.07']) {
      state.form!.components[0].weight = w
      live.soon()
      await vi.advanceTimersByTimeAsync(100)
    }
    expect(calls).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(300)
    expect(calls).toHaveBeenCalledTimes(1)
    expect(state.applied.map((c) => issuesAt(c.issues, 'components[1].weight'))).toEqual(['0.07'])
  })

  it('checks at once when asked, and does not send the same form again', async () => {
    const { state, calls, live } = setup()
    live.soon()
    const c = await live.now()
    expect(c?.issues[0].message).toBe('0.05')
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toHaveBeenCalledTimes(1)
    live.soon()
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toHaveBeenCalledTimes(1)
    expect(state.applied).toHaveLength(1)
    state.form = null
    expect(await live.now()).toBeNull()
  })

  it('never applies a slow answer over a newer one', async () => {
    const pending: (() => void)[] = []
    const { state, live } = setup((f) => {
      const c = answer(f)
      return new Promise((resolve) => pending.push(() => resolve(c)))
    })
    const first = live.now()
    state.form!.components[0].weight = '0.06'
    const second = live.now()
    pending[1]()
    await second
    pending[0]()
    expect((await first)?.issues[0].message).toBe('0.05')
    expect(state.applied.map((c) => c.issues[0].message)).toEqual(['0.06'])
  })

  it('reports a failed background check and sends the form again after the next edit', async () => {
    let fail = true
    const { state, calls, live } = setup(async (f) => {
      if (fail) throw new Error('ipc')
      return answer(f)
    })
    live.soon()
    await vi.advanceTimersByTimeAsync(300)
    expect(state.errors).toHaveLength(1)
    fail = false
    live.soon()
    await vi.advanceTimersByTimeAsync(300)
    expect(calls).toHaveBeenCalledTimes(2)
    expect(state.applied).toHaveLength(1)
  })

  it('cancels a pending check', async () => {
    const { calls, live } = setup()
    live.soon()
    live.cancel()
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).not.toHaveBeenCalled()
  })
})

describe('where issues are shown', () => {
  it('joins the messages at a key and lists the ones no field shows', () => {
    const issues = [
      { key: 'components', line: null, column: null, message: '各考核项目权重之和应为1，实为 1.01' },
      { key: 'components', line: null, column: null, message: '第二条' },
      { key: '', line: 3, column: 7, message: '格式错误：多了一个等号“=”' },
    ]
    expect(issuesAt(issues, 'components')).toBe('各考核项目权重之和应为1，实为 1.01；第二条')
    expect(issuesAt(issues, 'quotas')).toBe('')
    expect(unplacedIssues(issues, (k) => k.startsWith('components'))).toEqual([issues[2]])
    expect(unplacedIssues(issues, placedIssue)).toEqual([issues[2]])
    expect(issueText(issues[2])).toBe('第3行第7列：格式错误：多了一个等号“=”')
    expect(issueText({ ...issues[2], column: null })).toBe('第3行：格式错误：多了一个等号“=”')
    expect(issueText(issues[0])).toBe('各考核项目权重之和应为1，实为 1.01')
  })
})

describe('computed components', () => {
  it('shows the settings of a source, and their issues at their fields, only while a component uses it', () => {
    const f = form()
    const issues = [
      { key: 'ballots.min_valid', line: null, column: null, message: '0 应为 1–100000 之间的整数' },
      { key: 'panel.min_judges', line: null, column: null, message: 'min_judges 须大于 2 × trim（当前 trim = 2，min_judges 至少为 5）' },
    ]
    expect([usesSource(f, 'ballots'), usesSource(f, 'panel')]).toEqual([false, false])
    expect(unplacedIssues(issues, placedIssueIn(f))).toEqual(issues)
    f.components[3].source = 'ballots'
    expect([usesSource(f, 'ballots'), usesSource(f, 'panel')]).toEqual([true, false])
    expect(unplacedIssues(issues, placedIssueIn(f))).toEqual([issues[1]])
    f.components[2].source = 'panel'
    expect(unplacedIssues(issues, placedIssueIn(f))).toEqual([])
    // Other keys are placed as before.
    expect(placedIssueIn(f)('components[1].weight')).toBe(true)
    expect(placedIssueIn(f)('')).toBe(false)
    expect(newComponent(f).source).toBe('return')
  })

  it('shows the return-rate floor as an exact percentage', () => {
    const cases: [string, string][] = [
      ['0', '0'],
      ['1', '100'],
      ['0.6', '60'],
      ['0.755', '75.5'],
      ['0.0001', '0.01'],
      ['1.01', '101'],
      ['.5', '50'],
    ]
    for (const [rate, percent] of cases) {
      expect(rateToPercent(rate)).toBe(percent)
      expect(percentToRate(percent)).toBe(shiftDecimal(rate, 0))
    }
    expect(percentToRate('60.')).toBe('0.6')
    expect(percentToRate(' 7 ')).toBe('0.07')
    expect(percentToRate('-5')).toBe('-0.05')
    expect(percentToRate('0.00')).toBe('0')
    // Not a number: passed on for the core to report.
    expect(percentToRate('六十')).toBe('六十')
    expect(percentToRate('')).toBe('')
    expect(percentToRate('1e2')).toBe('1e2')
  })
})

describe('editing helpers', () => {
  it('moves items and makes keys for new items that no item uses', () => {
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b'])
    expect(freshKey('item', ['self', 'peer'])).toBe('item3')
    expect(freshKey('item', ['item2', 'item3'])).toBe('item4')
    const f = form()
    const added = newComponent(f)
    expect(f.components.map((c) => c.key)).not.toContain(added.key)
    f.components.push(added)
    f.components.splice(0, 1)
    expect(newComponent(f).key).not.toBe(added.key)
    expect(f.vetoes.map((v) => v.key)).not.toContain(newVeto(f).key)
  })

  it('offers tie-break keys and says quota rules in words', () => {
    expect(tieBreakOptions(form()).map((o) => o.key)).toEqual(['self', 'peer', 'organisation', 'public', 'third_party', 'daily', 'annual'])
    expect(quotaText(newQuota())).toBe('县级·全部类型·按地区分组·每组1个')
    expect(quotaText({ ...newQuota(), tier: 'city', size: 'percent', value: '15', min: 1, max: 8 })).toBe(
      '市级·全部类型·按地区分组·15%（向下取整），至少1个，至多8个',
    )
  })
})

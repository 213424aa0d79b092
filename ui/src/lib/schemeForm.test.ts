import { describe, expect, it } from 'vitest'
import {
  fromTenThousandths,
  issuesAt,
  move,
  newQuota,
  quotaText,
  renameComponent,
  tenThousandths,
  tieBreakOptions,
  validateSchemeForm,
  weightSum,
  type SchemeForm,
} from './schemeForm'

function form(): SchemeForm {
  return {
    title: null,
    year: null,
    award_title: '模范机关',
    unit_types: ['政府机关'],
    unit_type_aliases: {},
    daily_share: '0.3',
    daily_label: '日常考核',
    daily_aliases: [],
    components: [
      { key: 'self', label: '个人自评', weight: '0.05', aliases: [] },
      { key: 'peer', label: '党员互评', weight: '0.1', aliases: [] },
      { key: 'organisation', label: '组织考评', weight: '0.4', aliases: [] },
      { key: 'public', label: '群众测评', weight: '0.3', aliases: [] },
      { key: 'third_party', label: '第三方评价', weight: '0.15', aliases: [] },
    ],
    missing: 'ineligible',
    composite_min: '85',
    component_min: { public: '90' },
    vetoes: [{ key: 'discipline', label: '发生严重违纪违法问题', aliases: [] }],
    cooldown_years: 3,
    tie_break: ['public', 'organisation'],
    quotas: [newQuota()],
    review: { cycle_years: 3, retain_min: '85', revoke_below: '75', rectify_months: 6, complaints_trigger: 5, rectification_rate_min: '0.8' },
  }
}

describe('exact decimals', () => {
  it('reads and writes ten-thousandths without floating point', () => {
    expect(tenThousandths('0.05')).toBe(500n)
    expect(tenThousandths('1')).toBe(10000n)
    expect(tenThousandths('0.12345')).toBeNull()
    expect(tenThousandths('abc')).toBeNull()
    expect(fromTenThousandths(10100n)).toBe('1.01')
    expect(fromTenThousandths(10000n)).toBe('1')
  })

  it('sums weights exactly (0.1 + 0.2 is 0.3)', () => {
    expect(weightSum(form().components)).toBe('1')
    expect(weightSum([{ key: 'a', label: 'a', weight: '0.1', aliases: [] }, { key: 'b', label: 'b', weight: '0.2', aliases: [] }])).toBe('0.3')
    expect(weightSum([{ key: 'a', label: 'a', weight: 'x', aliases: [] }])).toBeNull()
  })
})

describe('live checks', () => {
  it('accepts the default scheme', () => {
    expect(validateSchemeForm(form())).toEqual([])
  })

  it('puts each problem at the core key path of its field', () => {
    const f = form()
    f.components[1].weight = '0.11'
    f.components[2].key = 'Org'
    f.daily_share = '1.3'
    f.component_min = { public: '190', nope: '80' }
    f.tie_break = ['public', 'nope']
    f.quotas[0] = { ...newQuota(), size: 'percent', value: '150', min: 3, max: 1 }
    f.review.retain_min = '70'
    const issues = validateSchemeForm(f)
    expect(issuesAt(issues, 'components')).toBe('各考核项的权重之和应为1，实为 1.01')
    expect(issuesAt(issues, 'components[3].key')).toMatch(/只能用小写英文字母/)
    expect(issuesAt(issues, 'composite.daily_share')).toBe('日常考核占比 1.3 应在 0–1 之间')
    expect(issuesAt(issues, 'thresholds.components.public')).toBe('分数 190 应在 0–100 之间')
    expect(issuesAt(issues, 'thresholds.components.nope')).toBe('没有键为 “nope” 的考核项')
    expect(issuesAt(issues, 'tie_break[2]')).toBe('“nope” 不是可用的排序键')
    expect(issuesAt(issues, 'quotas[1].percent')).toBe('比例 150 应在 0–100 之间')
    expect(issuesAt(issues, 'quotas[1].max')).toBe('最多 1 小于最少 3')
    expect(issuesAt(issues, 'review.revoke_below')).toBe('撤销线 75 不能高于保留线 70')
  })

  it('finds duplicate and reserved keys across components and vetoes, blanks and bad numbers', () => {
    const f = form()
    f.vetoes = [{ key: 'self', label: '', aliases: [] }]
    f.components[0].weight = '0.05001'
    f.components[4].key = 'daily'
    f.review.rectification_rate_min = ''
    const issues = validateSchemeForm(f)
    expect(issuesAt(issues, 'vetoes[1].key')).toBe('键 “self” 重复')
    expect(issuesAt(issues, 'vetoes[1].label')).toBe('请填写名称')
    expect(issuesAt(issues, 'components[1].weight')).toBe('0.05001 超过4位小数')
    expect(issuesAt(issues, 'components[5].key')).toBe('“daily” 是保留的键')
    expect(issuesAt(issues, 'review.rectification_rate_min')).toBe('请填写数值')
  })
})

describe('editing helpers', () => {
  it('moves items and renames a component everywhere', () => {
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b'])
    const f = renameComponent(form(), 'public', 'masses')
    expect(f.component_min).toEqual({ masses: '90' })
    expect(f.tie_break).toEqual(['masses', 'organisation'])
  })

  it('offers tie-break keys and says quota rules in words', () => {
    expect(tieBreakOptions(form()).map((o) => o.key)).toEqual(['self', 'peer', 'organisation', 'public', 'third_party', 'daily', 'annual'])
    expect(quotaText(newQuota())).toBe('县级·全部类型·按地区分组·每组1个')
    expect(quotaText({ ...newQuota(), tier: 'city', size: 'percent', value: '15', min: 1, max: 8 })).toBe(
      '市级·全部类型·按地区分组·15%（向下取整），至少1个，至多8个',
    )
  })
})

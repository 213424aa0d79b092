// 评选方案: the scheme as the form edits it (every number as its exact decimal text), the
// live checks shown while typing, and where the core's issues go. The core checks the
// whole scheme again on 校验 and 保存; its key paths ("components[2].weight", 1-based)
// are the ones used here, so each issue lands at its field.

export interface ComponentForm {
  key: string
  label: string
  weight: string
  aliases: string[]
}

export interface VetoForm {
  key: string
  label: string
  aliases: string[]
}

export interface QuotaForm {
  tier: 'province' | 'city' | 'county' | string
  unit_types: string[]
  group_by: string[]
  size: 'count' | 'percent' | string
  value: string
  rounding: 'floor' | 'round' | 'ceil' | string
  base: 'declared' | 'eligible' | string
  min: number | null
  max: number | null
}

export interface ReviewForm {
  cycle_years: number
  retain_min: string
  revoke_below: string
  rectify_months: number
  complaints_trigger: number
  rectification_rate_min: string
}

export interface SchemeForm {
  title: string | null
  year: number | null
  award_title: string
  unit_types: string[]
  unit_type_aliases: Record<string, string>
  /** Tier code → the scheme's own tier words (`[tier_aliases]`); not edited by the form, kept on save. */
  tier_aliases?: Record<string, string[]>
  daily_share: string
  daily_label: string
  daily_aliases: string[]
  components: ComponentForm[]
  missing: 'ineligible' | 'reweight' | string
  composite_min: string | null
  component_min: Record<string, string>
  vetoes: VetoForm[]
  cooldown_years: number
  tie_break: string[]
  quotas: QuotaForm[]
  review: ReviewForm
}

export interface SchemeIssue {
  key: string
  line: number | null
  message: string
}

export interface Checked {
  toml: string | null
  issues: SchemeIssue[]
}

const SCALE = 10_000n

/** A decimal text with at most four places as ten-thousandths, or null. */
export function tenThousandths(text: string): bigint | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d{1,4}))?\s*$/.exec(text)
  if (!m) return null
  const v = BigInt(m[2]) * SCALE + BigInt((m[3] ?? '').padEnd(4, '0'))
  return m[1] ? -v : v
}

/** Ten-thousandths back to plain decimal text ("10100" → "1.01"). */
export function fromTenThousandths(v: bigint): string {
  const neg = v < 0n
  const a = neg ? -v : v
  const whole = a / SCALE
  const frac = (a % SCALE).toString().padStart(4, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`
}

/** The exact sum of the weights, or null when one is not a number. */
export function weightSum(components: readonly ComponentForm[]): string | null {
  let sum = 0n
  for (const c of components) {
    const v = tenThousandths(c.weight)
    if (v === null) return null
    sum += v
  }
  return fromTenThousandths(sum)
}

const IDENT = /^[a-z][a-z0-9_]*$/

function number(
  issues: SchemeIssue[],
  key: string,
  text: string | null | undefined,
  lo: number,
  hi: number,
  what: string,
): void {
  if (text === null || text === undefined || text.trim() === '') {
    issues.push({ key, line: null, message: '请填写数值' })
    return
  }
  const v = tenThousandths(text)
  if (v === null) {
    issues.push({ key, line: null, message: /^\s*-?\d+\.\d{5,}\s*$/.test(text) ? `${text.trim()} 超过4位小数` : `“${text.trim()}”不是数字` })
    return
  }
  if (v < BigInt(lo) * SCALE || v > BigInt(hi) * SCALE) {
    issues.push({ key, line: null, message: `${what} ${text.trim()} 应在 ${lo}–${hi} 之间` })
  }
}

function keyed(issues: SchemeIssue[], list: readonly { key: string; label: string }[], name: string, taken: Set<string>): void {
  list.forEach((item, i) => {
    const at = `${name}[${i + 1}]`
    const key = item.key.trim()
    if (!IDENT.test(key)) {
      issues.push({ key: `${at}.key`, line: null, message: `键 “${key}” 只能用小写英文字母、数字和下划线，并以字母开头` })
    } else if (key === 'daily' || key === 'annual') {
      issues.push({ key: `${at}.key`, line: null, message: `“${key}” 是保留的键` })
    } else if (taken.has(key)) {
      issues.push({ key: `${at}.key`, line: null, message: `键 “${key}” 重复` })
    }
    taken.add(key)
    if (item.label.trim() === '') issues.push({ key: `${at}.label`, line: null, message: '请填写名称' })
  })
}

/** What the form shows while the user types; the core's check on 保存 is the final word. */
export function validateSchemeForm(f: SchemeForm): SchemeIssue[] {
  const issues: SchemeIssue[] = []
  if (f.award_title.trim() === '') issues.push({ key: 'award_title', line: null, message: '请填写称号' })
  if (f.unit_types.filter((t) => t.trim()).length === 0) {
    issues.push({ key: 'unit_types', line: null, message: '至少需要一种单位类型' })
  }
  number(issues, 'composite.daily_share', f.daily_share, 0, 1, '日常考核占比')
  if (f.daily_label.trim() === '') issues.push({ key: 'composite.daily_label', line: null, message: '请填写日常考核的列名' })
  if (f.components.length === 0) issues.push({ key: 'components', line: null, message: '至少需要一项考核指标' })
  const keys = new Set<string>()
  keyed(issues, f.components, 'components', keys)
  f.components.forEach((c, i) => number(issues, `components[${i + 1}].weight`, c.weight, 0, 1, '权重'))
  const sum = weightSum(f.components)
  if (sum !== null && f.components.length > 0 && tenThousandths(sum) !== SCALE) {
    issues.push({ key: 'components', line: null, message: `各考核项的权重之和应为1，实为 ${sum}` })
  }
  if (f.composite_min !== null && f.composite_min.trim() !== '') {
    number(issues, 'thresholds.composite_min', f.composite_min, 0, 100, '分数')
  }
  const componentKeys = new Set(f.components.map((c) => c.key.trim()))
  for (const [k, v] of Object.entries(f.component_min)) {
    if (v.trim() === '') continue
    if (!componentKeys.has(k)) issues.push({ key: `thresholds.components.${k}`, line: null, message: `没有键为 “${k}” 的考核项` })
    else number(issues, `thresholds.components.${k}`, v, 0, 100, '分数')
  }
  keyed(issues, f.vetoes, 'vetoes', new Set(keys))
  const tieKeys = new Set([...componentKeys, 'daily', 'annual'])
  f.tie_break.forEach((k, i) => {
    if (!tieKeys.has(k)) issues.push({ key: `tie_break[${i + 1}]`, line: null, message: `“${k}” 不是可用的排序键` })
  })
  if (f.cooldown_years < 0) issues.push({ key: 'cooldown_years', line: null, message: '应为不小于0的整数' })
  if (f.quotas.length === 0) issues.push({ key: 'quotas', line: null, message: '至少需要一条名额规则' })
  f.quotas.forEach((q, i) => {
    const at = `quotas[${i + 1}]`
    if (q.unit_types.length === 0) issues.push({ key: `${at}.unit_types`, line: null, message: '请选择适用的单位类型（或“全部”）' })
    if (q.size === 'count') {
      if (!/^\s*\d+\s*$/.test(q.value)) issues.push({ key: `${at}.count`, line: null, message: '名额应为不小于0的整数' })
    } else {
      number(issues, `${at}.percent`, q.value, 0, 100, '比例')
    }
    if (q.min !== null && q.max !== null && q.min > q.max) {
      issues.push({ key: `${at}.max`, line: null, message: `最多 ${q.max} 小于最少 ${q.min}` })
    }
  })
  number(issues, 'review.retain_min', f.review.retain_min, 0, 100, '分数')
  number(issues, 'review.revoke_below', f.review.revoke_below, 0, 100, '分数')
  const retain = tenThousandths(f.review.retain_min)
  const revoke = tenThousandths(f.review.revoke_below)
  if (retain !== null && revoke !== null && revoke > retain) {
    issues.push({ key: 'review.revoke_below', line: null, message: `撤销线 ${f.review.revoke_below} 不能高于保留线 ${f.review.retain_min}` })
  }
  number(issues, 'review.rectification_rate_min', f.review.rectification_rate_min, 0, 1, '整改完成率')
  return issues
}

/** The messages of the issues at exactly this key path. */
export function issuesAt(issues: readonly SchemeIssue[], key: string): string {
  return issues
    .filter((i) => i.key === key)
    .map((i) => i.message)
    .join('；')
}

/** Issues no field of the form shows (syntax errors, unknown paths): listed at the top. */
export function unplacedIssues(issues: readonly SchemeIssue[], placed: (key: string) => boolean): SchemeIssue[] {
  return issues.filter((i) => !placed(i.key))
}

/** The sort keys the tie-break list can take, with their labels. */
export function tieBreakOptions(f: SchemeForm): { key: string; label: string }[] {
  return [
    ...f.components.filter((c) => c.key.trim()).map((c) => ({ key: c.key.trim(), label: c.label || c.key })),
    { key: 'daily', label: f.daily_label || '日常考核' },
    { key: 'annual', label: '年度考核得分' },
  ]
}

/** Moves an item of a list by `delta` places (within bounds), returning a new list. */
export function move<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta
  if (to < 0 || to >= list.length) return [...list]
  const out = [...list]
  const [item] = out.splice(index, 1)
  out.splice(to, 0, item)
  return out
}

export function newComponent(n: number): ComponentForm {
  return { key: `item${n}`, label: '', weight: '0', aliases: [] }
}

export function newVeto(n: number): VetoForm {
  return { key: `veto${n}`, label: '', aliases: [] }
}

export function newQuota(): QuotaForm {
  return { tier: 'county', unit_types: ['*'], group_by: ['region'], size: 'count', value: '1', rounding: 'floor', base: 'declared', min: null, max: null }
}

/** Renames a component key everywhere it is used (minimums, tie-break). */
export function renameComponent(f: SchemeForm, from: string, to: string): SchemeForm {
  if (from === to) return f
  const component_min = Object.fromEntries(Object.entries(f.component_min).map(([k, v]) => [k === from ? to : k, v]))
  return { ...f, component_min, tie_break: f.tie_break.map((k) => (k === from ? to : k)) }
}

/** A quota rule in words ("县级·按地区分组·每组2个"). */
export function quotaText(q: QuotaForm): string {
  const tier = { province: '省直', city: '市级', county: '县级' }[q.tier] ?? q.tier
  const types = q.unit_types.includes('*') ? '全部类型' : q.unit_types.join('、')
  const group = q.group_by.length ? `按${q.group_by.map((g) => (g === 'region' ? '地区' : '单位类型')).join('和')}分组` : '不分组'
  const size = q.size === 'count' ? `每组${q.value}个` : `${q.value}%（${{ floor: '向下取整', round: '四舍五入', ceil: '向上取整' }[q.rounding] ?? q.rounding}）`
  const clamp = [q.min !== null ? `至少${q.min}个` : '', q.max !== null ? `至多${q.max}个` : ''].filter(Boolean).join('，')
  return `${tier}·${types}·${group}·${size}${clamp ? `，${clamp}` : ''}`
}

// 评选方案: the scheme as the form edits it (every number as its exact decimal text) and
// where the core's issues go. Every check is the core's (`check_scheme`, the rules and
// messages a scheme file gets), run while typing pauses and before saving; its key paths
// ("components[2].weight", 1-based) say at which field each issue is shown.

import type { BallotForm, Checked, ChoiceForm, ComponentForm, PanelForm, QuotaForm, ReviewForm, SchemeForm, SchemeIssue, VetoForm } from '../bindings'
import { labelOf } from './vocabulary'

export type { BallotForm, Checked, ChoiceForm, ComponentForm, PanelForm, QuotaForm, ReviewForm, SchemeForm, SchemeIssue, VetoForm }

/** A source of component scores that mofan computes and that has its own settings. */
export type ComputedSource = 'ballots' | 'panel'

/** Answers the core's check while the form is edited. */
export interface LiveCheck {
  /** Checks the form as it stands now (校验, 保存, and after loading); `null` without a form. */
  now(): Promise<Checked | null>
  /** Checks the form once typing pauses. */
  soon(): void
  /** Drops a pending check (the screen is left). */
  cancel(): void
}

/**
 * The core's check of the form, run `delay` ms after the last edit and at once when asked.
 * Only the answer to the newest request is applied, so a slow answer never replaces the
 * issues of a newer form. A form that was just checked is not sent again.
 */
export function createLiveCheck(options: {
  form: () => SchemeForm | null
  run: (form: SchemeForm) => Promise<Checked>
  apply: (checked: Checked) => void
  onError: (error: unknown) => void
  delay?: number
}): LiveCheck {
  let timer: ReturnType<typeof setTimeout> | null = null
  let generation = 0
  let lastSent: string | null = null

  function cancel(): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  async function now(): Promise<Checked | null> {
    cancel()
    const form = options.form()
    if (form === null) return null
    const mine = ++generation
    const sent = JSON.stringify(form)
    lastSent = sent
    try {
      const checked = await options.run(form)
      if (mine === generation) options.apply(checked)
      return checked
    } catch (e) {
      // Not checked after all: the same form is sent again after the next edit.
      if (lastSent === sent) lastSent = null
      throw e
    }
  }

  function soon(): void {
    cancel()
    timer = setTimeout(() => {
      timer = null
      const form = options.form()
      if (form === null || JSON.stringify(form) === lastSent) return
      now().catch(options.onError)
    }, options.delay ?? 300)
  }

  return { now, soon, cancel }
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

/**
 * A key no item of the list uses yet ("item6", "veto5"): the form does not show keys (they
 * are the scheme file's names for the items), so it makes them, unique even after deletions.
 */
export function freshKey(prefix: string, used: readonly string[]): string {
  let n = used.length + 1
  while (used.includes(`${prefix}${n}`)) n += 1
  return `${prefix}${n}`
}

export function newComponent(f: SchemeForm): ComponentForm {
  const used = [...f.components.map((c) => c.key), ...f.vetoes.map((v) => v.key)]
  return { key: freshKey('item', used), label: '', weight: '0', aliases: [], source: 'return' }
}

export function newVeto(f: SchemeForm): VetoForm {
  const used = [...f.components.map((c) => c.key), ...f.vetoes.map((v) => v.key)]
  return { key: freshKey('veto', used), label: '', aliases: [] }
}

export function newQuota(): QuotaForm {
  return { tier: 'county', unit_types: ['*'], group_by: ['region'], size: 'count', value: '1', rounding: 'floor', base: 'declared', min: null, max: null }
}

/** Key paths the form shows at a field; anything else is listed above the form. */
export function placedIssue(key: string): boolean {
  return /^(award_title|title|unit_types|missing|cooldown_years|components|vetoes|quotas|tie_break|composite\.|thresholds\.|review\.)/.test(key)
}

/** Whether a component of the form takes its score from this source. */
export function usesSource(f: SchemeForm, source: ComputedSource): boolean {
  return f.components.some((c) => c.source === source)
}

/**
 * [`placedIssue`] for this form: the settings of ballots and of the panel are shown only
 * while a component uses them, so their issues are listed above the form otherwise.
 */
export function placedIssueIn(f: SchemeForm): (key: string) => boolean {
  return (key) => {
    if (key.startsWith('ballots.')) return usesSource(f, 'ballots')
    if (key.startsWith('panel.')) return usesSource(f, 'panel')
    return placedIssue(key)
  }
}

export function newChoice(): ChoiceForm {
  return { word: '', points: '' }
}

/**
 * A decimal text with its point moved `places` to the right (left when negative), exactly
 * and without floating point: "0.755" → "75.5" for 2. `null` when the text is not a plain
 * decimal number.
 */
export function shiftDecimal(text: string, places: number): string | null {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text)
  if (!m || (m[2] + (m[3] ?? '')).length === 0) return null
  const sign = m[1] === '-' ? '-' : ''
  const whole = m[2]
  const fraction = m[3] ?? ''
  // The digits with the point after position `at`, padded so that it falls inside them.
  let digits = whole + fraction
  let at = whole.length + places
  if (at < 0) {
    digits = '0'.repeat(-at) + digits
    at = 0
  }
  if (at > digits.length) digits += '0'.repeat(at - digits.length)
  const intPart = digits.slice(0, at).replace(/^0+(?=\d)/, '') || '0'
  const fracPart = digits.slice(at).replace(/0+$/, '')
  const out = fracPart ? `${intPart}.${fracPart}` : intPart
  return out === '0' ? out : sign + out
}

/** The return-rate floor (0–1) as the percentage the form shows ("0.6" → "60"). */
export function rateToPercent(rate: string): string {
  return shiftDecimal(rate, 2) ?? rate
}

/** A percentage typed in the form as the rate the scheme holds ("60" → "0.6"); a text that
 * is not a number is passed on as it is, for the core to report. */
export function percentToRate(percent: string): string {
  return shiftDecimal(percent, -2) ?? percent
}

/** An issue no field shows, as one line: where it is (line and column of a file), then what. */
export function issueText(i: SchemeIssue): string {
  if (i.line === null) return i.message
  return i.column === null ? `第${i.line}行：${i.message}` : `第${i.line}行第${i.column}列：${i.message}`
}

/** A quota rule in words ("县级·按地区分组·每组2个"). */
export function quotaText(q: QuotaForm): string {
  const tier = labelOf('tier', q.tier)
  const types = q.unit_types.includes('*') ? '全部类型' : q.unit_types.join('、')
  const group = q.group_by.length ? `按${q.group_by.map((g) => (g === 'region' ? '地区' : '单位类型')).join('和')}分组` : '不分组'
  const size = q.size === 'count' ? `每组${q.value}个` : `${q.value}%（${{ floor: '向下取整', round: '四舍五入', ceil: '向上取整' }[q.rounding] ?? q.rounding}）`
  const clamp = [q.min !== null ? `至少${q.min}个` : '', q.max !== null ? `至多${q.max}个` : ''].filter(Boolean).join('，')
  return `${tier}·${types}·${group}·${size}${clamp ? `，${clamp}` : ''}`
}

// 评选方案: the scheme as the form edits it (every number as its exact decimal text) and
// where the core's issues go. Every check is the core's (`check_scheme`, the rules and
// messages a scheme file gets), run while typing pauses and before saving; its key paths
// ("components[2].weight", 1-based) say at which field each issue is shown.

import type { Checked, ComponentForm, QuotaForm, ReviewForm, SchemeForm, SchemeIssue, VetoForm } from '../bindings'
import { labelOf } from './vocabulary'

export type { Checked, ComponentForm, QuotaForm, ReviewForm, SchemeForm, SchemeIssue, VetoForm }

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
  const tier = labelOf('tier', q.tier)
  const types = q.unit_types.includes('*') ? '全部类型' : q.unit_types.join('、')
  const group = q.group_by.length ? `按${q.group_by.map((g) => (g === 'region' ? '地区' : '单位类型')).join('和')}分组` : '不分组'
  const size = q.size === 'count' ? `每组${q.value}个` : `${q.value}%（${{ floor: '向下取整', round: '四舍五入', ceil: '向上取整' }[q.rounding] ?? q.rounding}）`
  const clamp = [q.min !== null ? `至少${q.min}个` : '', q.max !== null ? `至多${q.max}个` : ''].filter(Boolean).join('，')
  return `${tier}·${types}·${group}·${size}${clamp ? `，${clamp}` : ''}`
}

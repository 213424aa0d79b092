// 评选结果: the selection as the shell sends it and the screen's presentation rules.
// Scores arrive as exact decimal strings ("90.8"); they are shown with two decimals,
// rounded half away from zero as the core rounds, without going through floating point.
import type { TagType } from './campaign'
import { labelOf } from './vocabulary'

import type {
  Label,
  OverrideAction,
  OverrideFact,
  PoolView,
  Published,
  ResultRow,
  ResultsView,
  RunState,
  SelectionStatus,
  Tier,
} from '../bindings'

export type { Label, OverrideAction, OverrideFact, PoolView, Published, ResultRow, ResultsView, RunState, Tier }
/** A return's outcome in the selection. */
export type ResultStatus = SelectionStatus

const STATUS_TAGS: Record<ResultStatus, TagType> = {
  selected: 'success',
  tie_pending: 'warning',
  not_selected: 'info',
  ineligible: 'danger',
}

export function resultLabel(status: string): string {
  return labelOf('selection_status', status)
}

export function resultTag(status: string): TagType {
  return (STATUS_TAGS as Record<string, TagType>)[status] ?? 'danger'
}

export function tierLabel(tier: string): string {
  return labelOf('tier', tier)
}

/**
 * A decimal string with exactly two decimals, rounded half away from zero ("90.125" →
 * "90.13", "-0.005" → "-0.01", "95" → "95.00"); null or malformed → "—".
 */
export function formatScore(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—'
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim())
  if (!m) return '—'
  const [, sign, whole, frac = ''] = m
  const digits = (frac + '000').slice(0, 3)
  let cents = BigInt(whole) * 100n + BigInt(digits.slice(0, 2))
  const rest = frac.slice(2)
  if (rest.length > 0 && rest[0] >= '5') cents += 1n
  const text = cents.toString().padStart(3, '0')
  const out = `${text.slice(0, -2)}.${text.slice(-2)}`
  return sign && cents !== 0n ? `-${out}` : out
}

/** The key of the pool entry that holds returns no quota rule applies to (the core's `NO_POOL`). */
export const NO_POOL = '__none__'

/** One pool as the pool selector lists it, with its counts. */
export interface ResultTab {
  key: string
  label: string
  /** The pool's tier (`null` for the returns without a pool). */
  tier: Tier | null
  rows: number
  pending: number
  selected: number
  quota: number
}

/** Every pool in rule order, then one for the returns without a pool, if any. */
export function resultTabs(view: ResultsView): ResultTab[] {
  const tabs: ResultTab[] = view.pools.map((p) => ({
    key: p.pool,
    label: p.label,
    tier: p.tier,
    rows: p.declared,
    pending: p.tie_pending,
    selected: p.selected,
    quota: p.quota,
  }))
  if (view.unpooled > 0) {
    tabs.push({ key: NO_POOL, label: '无适用名额', tier: null, rows: view.unpooled, pending: 0, selected: 0, quota: 0 })
  }
  return tabs
}

export interface ResultFilter {
  status: ResultStatus | ''
  query: string
}

/** Rows matching a status and a search over name, USCC, region and unit type. */
export function filterResults(rows: readonly ResultRow[], f: ResultFilter): ResultRow[] {
  const q = f.query.trim().toLowerCase()
  return rows.filter(
    (r) =>
      (f.status === '' || r.status === f.status) &&
      (q === '' ||
        [r.name, r.uscc ?? '', r.region ?? '', r.unit_type].some((s) => s.toLowerCase().includes(q))),
  )
}

/** The decisions the panel can take on a row. */
export function overrideActions(row: ResultRow): OverrideAction[] {
  const out: OverrideAction[] = []
  if (row.status !== 'selected' || row.applied_override?.action === 'exclude') out.push('include')
  if (row.status === 'selected' || row.status === 'tie_pending') out.push('exclude')
  if (row.applied_override) out.push('clear')
  return out.filter((a, i) => out.indexOf(a) === i)
}

const ACTION_LABELS: Record<OverrideAction, string> = {
  include: '纳入（入选）',
  exclude: '不予入选',
  clear: '撤销调整',
}

export function actionLabel(action: OverrideAction): string {
  return ACTION_LABELS[action]
}

/** Checks a decision's reason: required, with some substance. */
export function validateReason(reason: string): string | null {
  const text = reason.trim()
  if (text === '') return '请填写理由，理由将记入操作日志并显示在评选结果中'
  if (text.length < 4) return '理由过短，请写明评审组的具体理由'
  return null
}

/** Whether an error asks for the beyond-quota confirmation. */
export function needsQuotaConfirmation(error: { code: string }): boolean {
  return error.code === 'override.beyond_quota'
}

/** What blocks publishing, in Chinese; null when it may be published. */
export function publishBlocker(view: ResultsView): string | null {
  if (view.status === 'published') return '本年度评选已发布'
  if (view.run === null) return '请先运行评选'
  if (view.run.notice !== null) return view.run.notice
  const pending = view.pools.reduce((n, p) => n + p.tie_pending, 0)
  if (pending > 0) return `还有${pending}家单位并列待定，请先由评审组决定`
  if (view.counts.selected === 0) return '没有入选单位'
  return null
}

/** "2026-11-27 10:00" from a stored RFC 3339 time, as stored (no time-zone conversion). */
function shortTime(at: string): string {
  return at.length >= 16 ? `${at.slice(0, 10)} ${at.slice(11, 16)}` : at
}

/** One line naming the run a screen shows: "2026-11-27 10:00 王科员 运行评选：入选 12 家". */
export function runLine(view: { run: RunState | null; reference_date?: string | null }): string {
  const r = view.run
  if (r === null) return '尚未运行评选'
  const how = labelOf('run_trigger', r.last.trigger)
  const pending = r.last.tie_pending > 0 ? `，并列待定 ${r.last.tie_pending} 家` : ''
  // The date eligibility was judged on, as `mofan select` prints it ("评选基准日：…").
  const date = view.reference_date ? `；评选基准日：${view.reference_date}` : ''
  return `当前结果：${shortTime(r.last.at)} ${r.last.operator} ${how}，${r.last.returns} 条申报，入选 ${r.last.selected} 家${pending}${date}`
}

/** The message after running: what the run found. */
export function runMessage(view: { run: RunState | null }): string {
  const r = view.run
  if (r === null) return '评选已运行'
  const pending = r.last.tie_pending > 0 ? `，${r.last.tie_pending} 家并列待定需评审组决定` : ''
  return `评选已运行：${r.last.returns} 条申报，入选 ${r.last.selected} 家${pending}`
}

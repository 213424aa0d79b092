// 单位查询 and the agency page (单位历年情况, docs/specification.md §11): the history as the
// shell sends it and the page's presentation rules. Every rule — which years, which
// result, which accountability kind suits which target — is the core's; here only the
// chart's series, the lines shown, and the kinds the 登记问责 dialog offers.
import { labelOf, terms, type Term } from './vocabulary'

import type {
  AccountabilityInput,
  AccountabilityKind,
  AccountabilityView,
  AgencyHistory,
  AgencyHit,
  AgencyPage,
  AgencySearch,
  LedgerLine,
  ObjectionView,
  RoundView,
  SupervisionInput,
  SupervisionKind,
  SupervisionView,
  YearOutcome,
} from '../bindings'

export type {
  AccountabilityInput,
  AccountabilityKind,
  AccountabilityView,
  AgencyHistory,
  AgencyHit,
  AgencyPage,
  AgencySearch,
  LedgerLine,
  SupervisionInput,
  SupervisionKind,
  SupervisionView,
  YearOutcome,
}

/** The ledger lines of the page found in supervision record `id`, in the page's order. */
export function foundIn(page: AgencyPage, id: number): LedgerLine[] {
  return page.lines.filter((l) => l.supervision === id)
}

/** How a ledger line names its list and, for a problem, its source: "问题清单（督查）". */
export function ledgerKindLine(l: LedgerLine): string {
  const kind = labelOf('ledger_kind', l.kind)
  if (l.source) return `${kind}（${labelOf('ledger_source', l.source)}）`
  if (l.level) return `${kind}（${labelOf('ledger_level', l.level)}）`
  return kind
}

/** The route of agency `id`'s page. */
export function agencyPath(id: number): string {
  return `/agencies/${id}`
}

/** A score as the page shows it: two decimals ("95.10"), "—" when there is none. */
export function score(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(2)
}

/** The chart's series: every year shown, its composite (null where there is none). */
export function compositeSeries(h: AgencyHistory): { years: string[]; values: (number | null)[] } {
  return {
    years: h.years.map((y) => `${y.year}年`),
    values: h.years.map((y) => y.composite),
  }
}

/** Whether the chart has anything to draw. */
export function hasComposite(h: AgencyHistory): boolean {
  return h.years.some((y) => y.composite !== null)
}

/** "综合得分 95.00 · 第1名 · 入选": a year's outcome in one line; the note when it has none. */
export function yearLine(y: YearOutcome): string {
  if (y.status === null) return y.note ?? ''
  const parts = [`综合得分 ${score(y.composite)}`]
  if (y.rank !== null) parts.push(`第${y.rank}名`)
  parts.push(labelOf('selection_status', y.status))
  return parts.join(' · ')
}

/** "广州市 · 政府机关 · 市级": where the agency stands. */
export function placeLine(h: AgencyHistory): string {
  const a = h.agency
  return [labelOf('tier', a.tier), a.region, a.unit_type].filter((x) => x).join(' · ')
}

/** "甲局（2023年）；乙局（2024、2025年）": the former names, or null when there are none. */
export function formerNamesLine(h: AgencyHistory): string | null {
  if (h.agency.former_names.length === 0) return null
  return h.agency.former_names.map((f) => `${f.name}（${f.years.join('、')}年）`).join('；')
}

/** Whom an accountability record concerns: "单位" or the cadre's name. */
export function targetLabel(a: AccountabilityView): string {
  return a.person ?? '单位（党组织）'
}

/** Who is held accountable in the 登记问责 dialog. */
export type Target = 'organisation' | 'person'

/** The kinds the dialog offers for a target, as the core lists them. */
export function kindsFor(target: Target): readonly Term[] {
  return terms(target === 'person' ? 'accountability_kind_person' : 'accountability_kind_organisation')
}

/** A blank optional text as the core takes it: null. */
export function optionalText(s: string | null | undefined): string | null {
  const t = (s ?? '').trim()
  return t === '' ? null : t
}

/** "共3家，显示前50家" when a search lists fewer than it found. */
export function searchLine(s: AgencySearch): string {
  if (s.total === 0) return '没有找到单位'
  if (s.hits.length < s.total) return `共${s.total}家，显示前${s.hits.length}家；请输入更多文字缩小范围`
  return `共${s.total}家`
}

/** The page of the agency an objection concerns: the publicised agency of that USCC, else
 *  of that name; null when the rounds do not hold it. */
export function objectionAgencyId(o: ObjectionView, rounds: readonly RoundView[]): number | null {
  const all = rounds.flatMap((r) => r.agencies)
  const hit =
    (o.uscc !== null ? all.find((a) => a.uscc === o.uscc) : undefined) ?? all.find((a) => a.name === o.name)
  return hit?.agency_id ?? null
}

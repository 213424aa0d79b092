// 复查管理: the awards registry, a review's three lists and their presentation rules.
import type { TagType } from './campaign'
import { labelOf } from './vocabulary'

import type { Applied, AppliedReview, AwardRow, AwardStatus, Outcome, ReviewRow, ReviewView, Trigger } from '../bindings'

export type { Applied, AppliedReview, AwardRow, AwardStatus, Outcome, ReviewRow, ReviewView, Trigger }

const AWARD_TAGS: Record<AwardStatus, TagType> = { active: 'success', rectifying: 'warning', revoked: 'info' }
const OUTCOME_TAGS: Record<Outcome, TagType> = { retain: 'success', rectify: 'warning', revoke: 'danger' }

export const awardLabel = (s: string): string => labelOf('award_status', s)
export const awardTag = (s: string): TagType => (AWARD_TAGS as Record<string, TagType>)[s] ?? 'danger'
export const triggerLabel = (s: string): string => labelOf('trigger', s)
export const outcomeLabel = (s: string): string => labelOf('outcome', s)
export const outcomeTag = (s: string): TagType => (OUTCOME_TAGS as Record<string, TagType>)[s] ?? 'danger'

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** A date as YYYY-MM-DD (local time). */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** The review date offered first: today when it lies in the campaign year, else 1 December. */
export function defaultReviewDate(year: number, today: Date = new Date()): string {
  return today.getFullYear() === year ? isoDate(today) : `${year}-12-01`
}

/** Checks a review date: a real date within the campaign year. */
export function validateReviewDate(date: string, year: number): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return '请选择复查日期'
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (isoDate(d) !== date) return '日期无效'
  if (Number(m[1]) !== year) return `复查日期应在${year}年内`
  return null
}

/** The three lists of a review: every due award, those to rectify, those to revoke. */
export function reviewLists(rows: readonly ReviewRow[]): { all: ReviewRow[]; rectify: ReviewRow[]; revoke: ReviewRow[] } {
  return {
    all: [...rows],
    rectify: rows.filter((r) => r.outcome === 'rectify'),
    revoke: rows.filter((r) => r.outcome === 'revoke'),
  }
}

/**
 * One line on a review's outcomes. With an empty registry (`registrySize` 0) an empty
 * review says that the registry is needed, not that nobody is due.
 */
export function reviewSummary(rows: readonly ReviewRow[], registrySize?: number): string {
  if (rows.length === 0 && registrySize === 0) return '命名记录为空，无法复查：请先导入历年命名记录'
  if (rows.length === 0) return '没有需要复查的单位'
  const n = (o: Outcome) => rows.filter((r) => r.outcome === o).length
  return `复查${rows.length}家：保留称号${n('retain')}家，限期整改${n('rectify')}家，撤销称号${n('revoke')}家`
}

export interface AwardFilter {
  status: AwardStatus | ''
  query: string
}

/** Registry rows matching a status and a search over name, USCC, region and 文号. */
export function filterAwards(rows: readonly AwardRow[], f: AwardFilter): AwardRow[] {
  const q = f.query.trim().toLowerCase()
  return rows.filter(
    (a) =>
      (f.status === '' || a.status === f.status) &&
      (q === '' || [a.name, a.uscc ?? '', a.region ?? '', a.doc_number ?? ''].some((s) => s.toLowerCase().includes(q))),
  )
}

/** Counts of the registry per status. */
export function awardCounts(rows: readonly AwardRow[]): Record<AwardStatus, number> {
  const out: Record<AwardStatus, number> = { active: 0, rectifying: 0, revoked: 0 }
  for (const a of rows) out[a.status] += 1
  return out
}

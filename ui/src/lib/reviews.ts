// 复查管理: the awards registry, a review's three lists, the review applied this year, and
// their presentation rules.
import { formatCreatedAt, type TagType } from './campaign'
import { labelOf } from './vocabulary'

import type { Applied, AwardRow, AwardStatus, Outcome, ReviewRecord, ReviewRow, ReviewView, Trigger } from '../bindings'

export type { Applied, AwardRow, AwardStatus, Outcome, ReviewRecord, ReviewRow, ReviewView, Trigger }

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

/** The date part of a stored time ("2026-12-03T14:05:00+08:00" → "2026-12-03"). */
export function dayOf(at: string): string {
  return formatCreatedAt(at).slice(0, 10)
}

/** "已于 2026-12-03 应用复查结果（王科员）": when and by whom the year's review was applied. */
export function appliedTitle(record: ReviewRecord): string {
  return `已于 ${dayOf(record.applied_at)} 应用复查结果（${record.operator}）`
}

/**
 * What the review tab shows:
 * - `none`: nothing run and nothing applied;
 * - `run`: a review run on a date, not applied yet (it may be applied);
 * - `applied`: the review applied this year, as recorded (applying again is refused);
 * - `whatIf`: after applying, a review run again on a date — a preview that cannot be
 *   applied, and that the exported workbook does not show.
 */
export type ReviewMode = 'none' | 'run' | 'applied' | 'whatIf'

export interface ReviewScreen {
  mode: ReviewMode
  /** The due awards the three lists show. */
  rows: ReviewRow[]
  /** The summary line, its second line and its colour. */
  title: string
  description: string
  alert: 'success' | 'warning' | 'info'
  /** Why 应用复查结果 cannot be used (its tooltip), or null when it can. */
  applyBlocked: string | null
  /** The same, short, shown beside the button; null when the button needs no note. */
  applyNote: string | null
  /** Whether 导出名单 has lists to write. */
  canExport: boolean
}

/**
 * The review tab from the last review run (`view`, null when none) and the review applied
 * this year (`record`). `registrySize` is the registry's size when it was read: an empty
 * registry cannot be reviewed, so there is nothing to apply.
 */
export function reviewScreen(view: ReviewView | null, record: ReviewRecord | null, registrySize?: number): ReviewScreen {
  const blocked = record ? `本年度复查结果已于 ${dayOf(record.applied_at)} 应用，不能再次应用` : null
  if (record && !view) {
    return {
      mode: 'applied',
      rows: [...record.rows],
      title: appliedTitle(record),
      description: `复查日期 ${record.date} · ${reviewSummary(record.rows)}。命名记录已按此更新，导出名单导出的就是这份结果。`,
      alert: 'success',
      applyBlocked: blocked,
      applyNote: '本年度已应用，不能再次应用',
      canExport: true,
    }
  }
  if (record && view) {
    return {
      mode: 'whatIf',
      rows: [...view.rows],
      title: `预览 ${view.date}：${reviewSummary(view.rows, registrySize)}`,
      description: `${appliedTitle(record)}，复查日期 ${record.date}。此预览按当前数据重新计算，不会应用；导出名单仍导出已应用的结果。`,
      alert: 'info',
      applyBlocked: blocked,
      applyNote: '本年度已应用，不能再次应用',
      canExport: true,
    }
  }
  if (view) {
    const empty = registrySize === 0
    return {
      mode: 'run',
      rows: [...view.rows],
      title: `${view.date}：${reviewSummary(view.rows, registrySize)}`,
      description:
        view.rows.length > 0
          ? '复查结果尚未应用到命名记录。每个年度只能应用一次复查结果。'
          : empty
            ? '复查结果尚未应用到命名记录。'
            : '复查结果尚未应用到命名记录。应用后记录本年度已复查（没有需要复查的单位）。',
      alert: view.rows.length ? 'warning' : empty ? 'info' : 'success',
      applyBlocked: empty ? '命名记录为空，请先导入历年命名记录' : null,
      applyNote: empty ? '命名记录为空' : null,
      canExport: true,
    }
  }
  return {
    mode: 'none',
    rows: [],
    title: '',
    description: '',
    alert: 'info',
    applyBlocked: '请先运行复查',
    applyNote: null,
    canExport: false,
  }
}

/** The confirmation before applying: the outcome counts and what applying does. */
export function applyConfirmation(rows: readonly ReviewRow[]): string {
  const what =
    rows.length > 0
      ? '应用后，命名记录的状态按复查结论更新（限期整改的记录整改期限，撤销的记录撤销年度），并记入操作日志。'
      : '应用后记录本年度已复查，命名记录不变，并记入操作日志。'
  return `${reviewSummary(rows)}。${what}每个年度只能应用一次，应用后不能撤回或再次应用。`
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

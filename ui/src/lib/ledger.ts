// 清单台账: the screen's filters as the core's query, the words of a row's days, which files
// of a check 导入 sends, and where a refusal of 新增事项 or 标记完成 is shown. Statuses, their colours
// and the counts are the core's (`ledger_view`).
import type {
  Added,
  FieldChange,
  LedgerChange,
  LedgerInput,
  LedgerKind,
  LedgerPreview,
  LedgerQuery,
  LedgerRow,
  LedgerStatus,
  LedgerView,
  ProblemCounts,
  Tone,
} from '../bindings'

export type {
  Added,
  FieldChange,
  LedgerChange,
  LedgerInput,
  LedgerKind,
  LedgerPreview,
  LedgerQuery,
  LedgerRow,
  LedgerStatus,
  LedgerView,
  ProblemCounts,
  Tone,
}

const KINDS: readonly LedgerKind[] = ['responsibility', 'task', 'problem']
const STATUSES: readonly LedgerStatus[] = ['overdue', 'due_soon', 'open', 'done']

/** The screen's filters as the form holds them ('' for none). */
export interface LedgerFilters {
  date: string
  agency: string
  kind: LedgerKind | ''
  status: LedgerStatus | ''
  /** The deadline range, both ends included; empty: no range. */
  deadline: [string, string] | null
}

/** The filters a fresh screen starts with: nothing filtered, statuses on `today`. */
export function emptyFilters(today: string): LedgerFilters {
  return { date: today, agency: '', kind: '', status: '', deadline: null }
}

/** The filters with the kind and status a link asks for (`/ledger?kind=problem&status=overdue`); unknown words are ignored. */
export function filtersFromRoute(query: Record<string, unknown>, today: string): LedgerFilters {
  const f = emptyFilters(today)
  const word = (v: unknown) => (Array.isArray(v) ? v[0] : v)
  const kind = word(query.kind)
  const status = word(query.status)
  if (typeof kind === 'string' && (KINDS as readonly string[]).includes(kind)) f.kind = kind as LedgerKind
  if (typeof status === 'string' && (STATUSES as readonly string[]).includes(status)) f.status = status as LedgerStatus
  return f
}

/** The link to 清单台账 showing the problems of one status (the dashboard's counts). */
export function problemsLink(status: LedgerStatus): string {
  return `/ledger?kind=problem&status=${status}`
}

/** The core's query of the filters: blanks are no filter. */
export function toQuery(f: LedgerFilters): LedgerQuery {
  const blank = (s: string) => (s.trim() === '' ? null : s.trim())
  return {
    date: blank(f.date),
    agency: blank(f.agency),
    kind: f.kind === '' ? null : f.kind,
    status: f.status === '' ? null : f.status,
    deadline_from: f.deadline ? blank(f.deadline[0]) : null,
    deadline_by: f.deadline ? blank(f.deadline[1]) : null,
  }
}

/** The days column: "逾期9天", "今天到期", "剩2天"; '—' for an item done or without a deadline. */
export function daysText(r: Pick<LedgerRow, 'days_left' | 'done_on'>): string {
  if (r.done_on !== null || r.days_left === null) return '—'
  if (r.days_left < 0) return `逾期${-r.days_left}天`
  if (r.days_left === 0) return '今天到期'
  return `剩${r.days_left}天`
}

/** The class of a plain status tag in the virtual table (the core's tone is Element Plus's tag type). */
export function tagClass(tone: Tone): string {
  return `el-tag el-tag--${tone} el-tag--small el-tag--light`
}

/** The dashboard's line about the ledger. */
export function problemsSummary(c: ProblemCounts): string {
  if (c.overdue === 0 && c.due_soon === 0) return `截至${c.date}没有逾期或即将到期的问题`
  return `截至${c.date}：逾期问题${c.overdue}项，${c.warn_days}天内到期${c.due_soon}项`
}

/**
 * The files 导入 sends: those ready, and with `partial` those with errors that still have
 * correct rows. Duplicates and unreadable files are never sent.
 */
export function toImport(previews: readonly LedgerPreview[], partial: boolean): string[] {
  return previews
    .filter((p) => p.state === 'ready' || (partial && p.state === 'errors' && p.valid > 0))
    .map((p) => p.path)
}

/** Whether any checked file would be imported only in part (the 部分导入 switch matters). */
export function anyPartial(previews: readonly LedgerPreview[]): boolean {
  return previews.some((p) => p.state === 'errors' && p.valid > 0)
}

/** Whether a check refused a file for want of a 清单类型 (the kind choice then matters). */
export function needsKind(previews: readonly LedgerPreview[]): boolean {
  return previews.some((p) => p.errors.some((e) => e.message.includes('清单类型')))
}

/** An error's place: "工作表“问题清单”第3行B列". */
export function placeOf(e: { sheet: string | null; row: number | null; column: string | null }): string {
  const sheet = e.sheet ? `工作表“${e.sheet}”` : ''
  const row = e.row !== null ? `第${e.row}行` : ''
  const column = e.column ? `${e.column}列` : ''
  return `${sheet}${row}${column}` || '整个文件'
}

/** 新增事项's form for a kind, empty. */
export function blankInput(kind: LedgerKind = 'problem'): LedgerInput {
  return { agency: '', kind, text: '', deadline: null, measures: null, owner: null, source: null, level: null, year: null }
}

/** The form as sent: blank texts as none; a level only for a responsibility, a source only for a problem. */
export function cleanInput(i: LedgerInput): LedgerInput {
  const text = (s: string | null) => (s === null || s.trim() === '' ? null : s)
  return {
    ...i,
    deadline: text(i.deadline),
    measures: text(i.measures),
    owner: text(i.owner),
    level: i.kind === 'responsibility' ? i.level : null,
    source: i.kind === 'problem' ? i.source : null,
  }
}

/** The refusal of 新增事项 by field, for the form's `error` props. */
export function fieldErrors(a: Added | null): Record<string, string> {
  return a?.error ? { [a.error.field]: a.error.message } : {}
}

/** The codes of a refusal of 标记完成 that concern its date (a day still to come, a day before the review). */
const DONE_DATE_CODES: readonly string[] = ['ledger.done_in_future', 'ledger.done_before_review']

/** Where 标记完成 shows a refusal: at 完成时间 when it concerns the date, else at 完成情况. */
export function doneErrorField(code: string): 'date' | 'evidence' {
  return DONE_DATE_CODES.includes(code) ? 'date' : 'evidence'
}

/** One change of an item's history in a line: "完成时间：（空） → 2026-06-20". */
export function changeLine(c: FieldChange): string {
  return `${c.label}：${c.before === '' ? '（空）' : c.before} → ${c.after === '' ? '（空）' : c.after}`
}

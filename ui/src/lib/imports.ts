// 数据导入: the shapes the shell sends (snake_case, as the core serialises them) and the
// presentation rules of the import screen.
import type { TagType } from './campaign'
import { labelOf, terms } from './vocabulary'

import type {
  BatchOutcome,
  BatchView,
  ColumnChoice,
  ColumnPreview,
  FieldChoice,
  FilePreview,
  FileReport,
  FileRow,
  FileStatus,
  ImportEvent,
  LeftOut,
  PreviewState,
  ReadProgress,
  RowError,
  SheetPreview,
  StateCount,
  StoredFileStatus,
  WithdrawReport,
} from '../bindings'

export type {
  BatchOutcome,
  BatchView,
  ColumnChoice,
  ColumnPreview,
  FieldChoice,
  FilePreview,
  FileReport,
  FileRow,
  FileStatus,
  ImportEvent,
  LeftOut,
  PreviewState,
  ReadProgress,
  RowError,
  SheetPreview,
  StateCount,
  StoredFileStatus,
  WithdrawReport,
}

/**
 * How a file in the batch stands: the core's state once it is checked (`FilePreview.state`),
 * `checking` while it is being read, `failed` when the check itself failed (the campaign or
 * the database, not the file).
 */
export type PendingState = PreviewState | 'checking' | 'failed'

/** A file of the batch as the screen holds it (`stores/imports.ts`). */
export interface BatchItem {
  path: string
  file: string
  preview: FilePreview | null
  loading: boolean
  error: string | null
}

export function pendingState(item: BatchItem): PendingState {
  if (item.loading) return 'checking'
  if (item.error !== null) return 'failed'
  return item.preview?.state ?? 'checking'
}

const PENDING_TAGS: Record<PendingState, TagType> = {
  ready: 'success',
  errors: 'danger',
  duplicate: 'info',
  unreadable: 'danger',
  checking: 'info',
  failed: 'danger',
}

/** The state's label: the core's word for a checked file. */
export function stateLabel(state: PendingState): string {
  if (state === 'checking') return '检查中…'
  if (state === 'failed') return '检查失败'
  return labelOf('preview_state', state)
}

export function stateTag(state: PendingState): TagType {
  return PENDING_TAGS[state]
}

/** What the batch is filtered to: every file, or the files in one state. */
export type StateFilter = 'all' | PreviewState

/** The filter's choices: 全部 and each state the core counted, with its count. */
export function filterOptions(view: BatchView | null, total: number): { value: StateFilter; label: string }[] {
  const options: { value: StateFilter; label: string }[] = [{ value: 'all', label: `全部 ${total}` }]
  for (const c of view?.counts ?? []) options.push({ value: c.state, label: `${labelOf('preview_state', c.state)} ${c.count}` })
  return options
}

export function filterBatch<T extends BatchItem>(items: readonly T[], filter: StateFilter): T[] {
  if (filter === 'all') return [...items]
  return items.filter((item) => pendingState(item) === filter)
}

/** How the batch is ordered. */
export type BatchSort = 'added' | 'state' | 'file' | 'errors'

export const SORT_OPTIONS: readonly { value: BatchSort; label: string }[] = [
  { value: 'added', label: '按加入顺序' },
  { value: 'state', label: '按检查结果' },
  { value: 'file', label: '按文件名' },
  { value: 'errors', label: '按错误数（多的在前）' },
]

/** The rank of a state in the core's order (可导入, 有错误, 已导入过, 无法读取), then the rest. */
function stateRank(state: PendingState): number {
  const i = terms('preview_state').findIndex((t) => t.key === state)
  return i >= 0 ? i : state === 'failed' ? 100 : 101
}

const collator = new Intl.Collator('zh-CN', { numeric: true })

/** The batch in the chosen order; ties keep the order in which files were added. */
export function sortBatch<T extends BatchItem>(items: readonly T[], sort: BatchSort): T[] {
  const keyed = items.map((item, i) => ({ item, i }))
  const by = (a: T, b: T): number => {
    switch (sort) {
      case 'added':
        return 0
      case 'state':
        return stateRank(pendingState(a)) - stateRank(pendingState(b))
      case 'file':
        return collator.compare(a.file, b.file)
      case 'errors':
        return (b.preview?.errors.length ?? 0) - (a.preview?.errors.length ?? 0)
    }
  }
  keyed.sort((x, y) => by(x.item, y.item) || x.i - y.i)
  return keyed.map((k) => k.item)
}

/** The row's inline problem: the core's first problem of the file, or why its check failed. */
export function firstProblem(item: BatchItem): string {
  if (item.error !== null) return item.error
  const e = item.preview?.first_problem
  return e ? describeError(e) : ''
}

/** The two ways of importing a batch, said where the choice is made. */
export function modeHint(partial: boolean): string {
  return partial
    ? '只导入正确的行：有错误的文件只导入其中正确的行，有错误的行不导入；导入前列出不导入的行，确认后才导入。'
    : '整个文件导入：有错误的文件一行也不导入，改正后重新导入；没有错误的文件整个导入。'
}

/** What a partial import keeps and leaves out of one file. */
export function leftOutLine(l: LeftOut): string {
  return `导入 ${l.imported} 行，不导入 ${l.rows} 行`
}

/** The problems not listed in the confirmation. */
export function leftOutMore(l: LeftOut): string {
  return l.more > 0 ? `另有 ${l.more} 处问题未列出，可在“详情”中查看或下载错误报告` : ''
}

/** The place and problem of an error as one Chinese sentence (as the core writes it). */
export function describeError(e: RowError): string {
  let s = ''
  if (e.sheet) s += `工作表“${e.sheet}”`
  if (e.row !== null) s += `第${e.row}行`
  if (e.column) {
    s += ` ${e.column}列`
    if (e.header) s += `（${e.header}）`
  }
  if (e.value !== null && e.value !== undefined) s += ` 值“${e.value}”`
  if (s) s += '：'
  return s + e.message
}

/** The place of an error alone ("第5行 C列"), or "整个文件". */
export function errorPlace(e: RowError): string {
  const parts: string[] = []
  if (e.row !== null) parts.push(`第${e.row}行`)
  if (e.column) parts.push(`${e.column}列`)
  return parts.length > 0 ? parts.join(' ') : e.sheet ? '整个工作表' : '整个文件'
}

/** File size in 字节 / KB / MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Adds paths to a list without repeating any, keeping the existing order. */
export function mergePaths(existing: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(existing)
  const out = [...existing]
  for (const p of added) {
    if (!seen.has(p)) {
      seen.add(p)
      out.push(p)
    }
  }
  return out
}

/** The file name of a path (either separator). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] || path
}

/**
 * Progress of a batch in percent: finished files over all, plus the running file's share
 * as far as its reading has come (`null`: no file running, or one whose size is unknown).
 */
export function progressPercent(finished: number, total: number, runningPercent: number | null): number {
  if (total <= 0) return 0
  const done = finished + (runningPercent ?? 0) / 100
  return Math.min(100, Math.floor((done / total) * 100))
}

/** The line under the bar while a file is imported. */
export function progressLine(file: string, position: number, total: number, progress: ReadProgress | null): string {
  const head = `正在导入《${file}》（${position}/${total}）`
  if (progress === null) return `${head}：正在读取…`
  if (progress.percent === 100) return `${head}：已检查 ${progress.rows} 行，正在保存…`
  const percent = progress.percent === null ? '' : `（${progress.percent}%）`
  return `${head}：已检查 ${progress.rows} 行${percent}`
}

/** One line on what happened to a file. */
export function reportSummary(r: FileReport): string {
  switch (r.status) {
    case 'imported':
      return r.errors.length > 0
        ? `部分导入：导入 ${r.imported} 条，跳过 ${r.errors.length} 处错误`
        : `已导入 ${r.imported} 条`
    case 'duplicate':
      return '内容与已导入的文件相同，未做改动'
    case 'rejected':
      return `未导入：${r.errors.length} 处错误`
  }
}

export function reportTag(r: FileReport): TagType {
  if (r.status === 'imported') return r.errors.length > 0 ? 'warning' : 'success'
  return r.status === 'duplicate' ? 'info' : 'danger'
}

/** One line on a whole batch. */
export function batchSummary(o: BatchOutcome): string {
  const imported = o.reports.filter((r) => r.status === 'imported')
  const rows = imported.reduce((n, r) => n + r.imported, 0)
  const parts = [`导入 ${imported.length} 个文件，共 ${rows} 条申报`]
  const rejected = o.reports.filter((r) => r.status === 'rejected').length
  if (rejected > 0) parts.push(`${rejected} 个文件有错误未导入`)
  const duplicate = o.reports.filter((r) => r.status === 'duplicate').length
  if (duplicate > 0) parts.push(`${duplicate} 个文件重复未改动`)
  if (o.cancelled) parts.push(`已取消，${o.not_started.length} 个文件未导入`)
  return parts.join('；')
}

const STORED_TAGS: Record<StoredFileStatus, TagType> = {
  imported: 'success',
  partial: 'warning',
  withdrawn: 'info',
}

export function storedLabel(status: string): string {
  return labelOf('stored_file_status', status)
}

export function storedTag(status: string): TagType {
  return (STORED_TAGS as Record<string, TagType>)[status] ?? 'danger'
}

// 数据导入: the shapes the shell sends (snake_case, as the core serialises them) and the
// presentation rules of the import screen.
import type { TagType } from './campaign'
import { labelOf } from './vocabulary'

import type {
  BatchOutcome,
  ColumnChoice,
  ColumnPreview,
  FieldChoice,
  FilePreview,
  FileReport,
  FileRow,
  FileStatus,
  ImportEvent,
  RowError,
  SheetPreview,
  StoredFileStatus,
  WithdrawReport,
} from '../bindings'

export type {
  BatchOutcome,
  ColumnChoice,
  ColumnPreview,
  FieldChoice,
  FilePreview,
  FileReport,
  FileRow,
  FileStatus,
  ImportEvent,
  RowError,
  SheetPreview,
  StoredFileStatus,
  WithdrawReport,
}

/** How a previewed file stands. */
export type PreviewState = 'ready' | 'errors' | 'duplicate' | 'unreadable'

export function previewState(p: FilePreview): PreviewState {
  if (p.unreadable) return 'unreadable'
  if (p.duplicate) return 'duplicate'
  if (p.errors.length > 0) return 'errors'
  return 'ready'
}

const PREVIEW_LABELS: Record<PreviewState, string> = {
  ready: '可以导入',
  errors: '有错误',
  duplicate: '已导入过',
  unreadable: '无法读取',
}

const PREVIEW_TAGS: Record<PreviewState, TagType> = {
  ready: 'success',
  errors: 'danger',
  duplicate: 'info',
  unreadable: 'danger',
}

export function previewLabel(state: PreviewState): string {
  return PREVIEW_LABELS[state]
}

export function previewTag(state: PreviewState): TagType {
  return PREVIEW_TAGS[state]
}

/**
 * Whether a previewed file is sent when the user presses 导入: files with errors only in a
 * partial import (their valid rows), never a duplicate or unreadable file.
 */
export function willImport(p: FilePreview, partial: boolean): boolean {
  const state = previewState(p)
  return state === 'ready' || (state === 'errors' && partial && p.valid > 0)
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

/** Progress of a batch in percent: finished files over all, plus half of the one running. */
export function progressPercent(finished: number, total: number, running: boolean): number {
  if (total <= 0) return 0
  const done = finished + (running ? 0.5 : 0)
  return Math.min(100, Math.round((done / total) * 100))
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

// Campaign (评选年度) presentation and validation rules used by the views.

import { findLabel } from './vocabulary'

import type { CampaignStatus, CampaignSummary, Deletion } from '../bindings'

/** Lifecycle status of a campaign, as stored by the core (`draft → selected → published`),
 * and one row of `list_campaigns`. */
export type { CampaignStatus, CampaignSummary, Deletion }

/** Element Plus tag colours. */
export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

const STATUS_TAGS: Readonly<Record<CampaignStatus, TagType>> = {
  draft: 'info',
  selected: 'warning',
  published: 'success',
}

function isStatus(status: string): status is CampaignStatus {
  return Object.prototype.hasOwnProperty.call(STATUS_TAGS, status)
}

/** Chinese label of a status (the core's); an unknown status is shown as it is rather than hidden. */
export function statusLabel(status: string): string {
  return findLabel('campaign_status', status) ?? `未知状态（${status}）`
}

/** Tag colour of a status; unknown ones are flagged in red. */
export function statusTagType(status: string): TagType {
  return isStatus(status) ? STATUS_TAGS[status] : 'danger'
}

/**
 * A campaign as the year selector names it: its title and state, and 数据已变化 when an
 * input changed since the last run ("2026年度模范机关评选（已评选，数据已变化）"). The same
 * text is the selector's tooltip, so a title too long for a narrow window can still be read.
 */
export function campaignLabel(c: Pick<CampaignSummary, 'title' | 'status'> & { stale?: boolean }): string {
  return `${c.title}（${statusLabel(c.status)}${c.stale ? '，数据已变化' : ''}）`
}

export const MIN_YEAR = 2000
export const MAX_YEAR = 2100

/**
 * Checks a year typed by the user. Returns a Chinese message, or `null` when the year
 * is acceptable (an integer in 2000–2100).
 */
export function validateYear(value: unknown): string | null {
  if (value === null || value === undefined || value === '') {
    return '请填写评选年度'
  }
  const year = typeof value === 'string' ? Number(value.trim()) : value
  if (typeof year !== 'number' || !Number.isFinite(year)) {
    return '年度必须是数字'
  }
  if (!Number.isInteger(year)) {
    return '年度必须是整数'
  }
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return `年度应在 ${MIN_YEAR}–${MAX_YEAR} 之间`
  }
  return null
}

/** The year a new campaign defaults to: the current calendar year, kept inside the allowed range. */
export function defaultYear(now: Date = new Date()): number {
  return Math.min(MAX_YEAR, Math.max(MIN_YEAR, now.getFullYear()))
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/

/**
 * Shows a stored timestamp as `YYYY-MM-DD HH:mm`, exactly as written by the core (no time
 * zone conversion). Anything else is shown unchanged.
 */
export function formatCreatedAt(value: string): string {
  const m = DATE_TIME.exec(value)
  return m ? `${m[1]} ${m[2]}` : value
}

/** Newest year first, without changing the input array. */
export function sortCampaigns(rows: readonly CampaignSummary[]): CampaignSummary[] {
  return [...rows].sort((a, b) => b.year - a.year)
}

/**
 * The campaign a session works on: the one used last time when it still exists, else the
 * newest year; `null` when there is none.
 */
export function chooseCurrent(rows: readonly CampaignSummary[], remembered: number | null): number | null {
  if (remembered !== null && rows.some((c) => c.year === remembered)) return remembered
  return rows.length > 0 ? Math.max(...rows.map((c) => c.year)) : null
}

/** Reads a remembered year back ("2026" → 2026); anything else is no year. */
export function parseRememberedYear(value: string | null): number | null {
  if (value === null || !/^\d{4}$/.test(value.trim())) return null
  return Number(value.trim())
}

/** The year column: "示例" for the demo campaign, whose year is no real one. */
export function yearLabel(c: Pick<CampaignSummary, 'year' | 'demo'>): string {
  return c.demo ? '示例' : String(c.year)
}


/**
 * The confirmation before deleting a campaign, naming what goes with it; or the core's reason
 * when it cannot be deleted.
 */
export function deletionMessage(d: Deletion): string {
  if (d.refused) return d.refused
  const parts = [`申报${d.returns}条${d.return_rows > d.returns ? `（连同被替换、撤回的历史记录共${d.return_rows}条）` : ''}`]
  parts.push(`导入文件${d.files}个`)
  parts.push(`评审组调整${d.overrides}条`)
  if (d.demo) parts.push(`复查记录${d.reviews}条`, `虚构的命名记录${d.awards}条`)
  return `将删除“${d.title}”及其${parts.join('、')}。删除后不能恢复（可先备份数据库）；操作日志保留删除记录。是否删除？`
}

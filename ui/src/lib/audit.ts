// 操作日志: the audit rows, their Chinese wording, the filter form and the chain check.
import { formatCreatedAt } from './campaign'
import { labelOf } from './vocabulary'

import type { AuditRow, Filter, VerifyReport } from '../bindings'

export type { AuditRow, VerifyReport }
/** The core's filter (snake_case as the shell reads it). */
export type AuditFilter = Filter

const ACTION_LABELS: Record<string, string> = {
  'campaign.create': '新建评选年度',
  'campaign.selected': '运行评选',
  'selection.run': '运行评选',
  'campaign.publish': '发布评选结果',
  'campaign.reopen': '重新开放',
  'campaign.delete': '删除评选年度',
  'campaign.scheme': '修改评选方案',
  'import.file': '导入申报表',
  'import.withdraw': '撤回申报表',
  'select.override': '评审组调整',
  'awards.import': '导入命名记录',
  'awards.rectified': '确认整改完成',
  'review.apply': '应用复查结果',
  'store.restore': '恢复数据库',
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action
}

/** The filter's action groups: a prefix of the action code and its name. */
export const ACTION_GROUPS: readonly { prefix: string; label: string }[] = [
  { prefix: 'campaign.', label: '评选年度与发布' },
  { prefix: 'import.', label: '申报导入' },
  { prefix: 'select.', label: '评审组调整' },
  { prefix: 'awards.', label: '命名记录' },
  { prefix: 'review.', label: '复查' },
  { prefix: 'store.', label: '数据库' },
]

type Details = Record<string, unknown>

function parse(details: string): Details {
  try {
    const v = JSON.parse(details)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Details) : {}
  } catch {
    return {}
  }
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v))

/** One Chinese line on what an event did, from its details. */
export function describeEvent(row: Pick<AuditRow, 'action' | 'details'>): string {
  const d = parse(row.details)
  const year = d.campaign ? `${str(d.campaign)}年度` : ''
  switch (row.action) {
    case 'campaign.create':
      return `${str(d.title)}（${d.default_scheme ? '默认方案' : '导入方案'}）`
    case 'campaign.selected':
      return `${year}：${str(d.returns)}条申报，入选${str(d.selected)}家`
    case 'selection.run': {
      const how = d.trigger === 'override' ? '（评审组调整后）' : ''
      const changes = Array.isArray(d.changes) ? (d.changes as Record<string, unknown>[]) : []
      const moved = d.first
        ? '首次运行'
        : changes.length === 0
          ? '与上次结果相比无单位状态变化'
          : `${changes.length}家单位状态变化：${changes
              .slice(0, 5)
              .map((c) => `${str(c.name)}${c.from ? labelOf('selection_status', str(c.from)) : '（新增）'}→${c.to ? labelOf('selection_status', str(c.to)) : '（已撤回）'}`)
              .join('、')}${changes.length > 5 ? '等' : ''}`
      return `${year}${how}：${str(d.returns)}条申报，入选${str(d.selected)}家；${moved}`
    }
    case 'campaign.publish':
      return `${year}：发文字号 ${str(d.doc_number)}，命名${str(d.awards)}家`
    case 'campaign.reopen':
      return `${year}：理由：${str(d.reason)}；撤回命名${str(d.awards_withdrawn)}条`
    case 'campaign.delete':
      return `${str(d.title)}：删除申报${str(d.returns)}条、导入文件${str(d.files)}个、评审组调整${str(d.overrides)}条${d.demo ? `、复查记录${str(d.reviews)}条、虚构的命名记录${str(d.awards)}条` : ''}`
    case 'campaign.scheme':
      return `${year}：评选方案已修改${d.rerun ? '，已运行的评选需重新运行' : ''}`
    case 'import.file':
      return `${year}《${str(d.file)}》：导入${str(d.imported)}条（共${str(d.rows)}行）${d.partial ? '，部分导入' : ''}${Number(d.replaced) > 0 ? `，替换${str(d.replaced)}条` : ''}${Array.isArray(d.mapped_by_hand) ? `，手动指定列：${(d.mapped_by_hand as unknown[]).map(str).join('、')}` : ''}`
    case 'import.withdraw':
      return `${year}《${str(d.file)}》：撤回${str(d.withdrawn)}条${Number(d.restored) > 0 ? `，恢复${str(d.restored)}条` : ''}`
    case 'select.override': {
      const act = labelOf('override_action', str(d.action))
      return `${year}：${str(d.name)} ${act}（理由：${str(d.reason)}）${d.beyond_quota ? '，超出名额（已确认）' : ''}`
    }
    case 'awards.import':
      return `《${str(d.file)}》：${str(d.imported)}条（新增${str(d.created)}、更新${str(d.updated)}、未变${str(d.unchanged)}）`
    case 'awards.rectified':
      return `${str(d.name)}（${str(d.award_year)}年命名）于${str(d.date)}整改完成`
    case 'review.apply':
      return `${year} ${str(d.date)}：复查${str(d.reviewed)}家，保留${str(d.retain)}、整改${str(d.rectify)}、撤销${str(d.revoke)}`
    default:
      return Object.entries(d)
        .map(([k, v]) => `${k}：${typeof v === 'object' ? JSON.stringify(v) : str(v)}`)
        .join('；')
  }
}

/** The filter form of the screen. */
export interface AuditForm {
  group: string
  operator: string
  /** [from, to] as YYYY-MM-DD, both days included. */
  range: [string, string] | null
  text: string
}

export function emptyAuditForm(): AuditForm {
  return { group: '', operator: '', range: null, text: '' }
}

/** The day after a YYYY-MM-DD date. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + 1))
  return t.toISOString().slice(0, 10)
}

/** The core's filter for a form: the end date is included (until the next day). */
export function toAuditFilter(form: AuditForm, limit: number | null = null): AuditFilter {
  const blank = (s: string) => (s.trim() === '' ? null : s.trim())
  return {
    action: blank(form.group),
    operator: blank(form.operator),
    from: form.range ? form.range[0] : null,
    until: form.range ? nextDay(form.range[1]) : null,
    text: blank(form.text),
    limit,
  }
}

/** The result of a chain check as one Chinese sentence, and whether it is sound. */
export function verifyMessage(r: VerifyReport): { ok: boolean; text: string } {
  if (r.broken) {
    return { ok: false, text: `第 ${r.broken.seq} 条记录校验失败：${r.broken.reason}。该记录或其之前的记录可能被改动或删除。` }
  }
  return {
    ok: true,
    text: r.rows === 0 ? '操作日志为空。' : `校验通过：共 ${r.rows} 条记录，哈希链完整，没有被改动或删除的记录。`,
  }
}

/** The rows as the table shows them, for the Excel export. */
export function auditTable(rows: readonly AuditRow[]): { headers: string[]; rows: (string | number)[][] } {
  return {
    headers: ['序号', '时间', '操作人', '操作', '说明', '哈希'],
    rows: rows.map((r) => [r.seq, formatCreatedAt(r.at), r.operator, actionLabel(r.action), describeEvent(r), r.hash]),
  }
}

/** Pretty JSON of an event's details for the detail view. */
export function prettyDetails(details: string): string {
  try {
    return JSON.stringify(JSON.parse(details), null, 2)
  } catch {
    return details
  }
}

// 通知文书: the notice settings form, and what the preview shows.

import type { CampaignNotices, Group, Notice, NoticeSettings, Paragraph, Preview } from '../bindings'

export type { CampaignNotices, Group, Notice, NoticeSettings, Paragraph, Preview }

/** The kinds `notice_sources` takes (the core's `NoticeKind`, sent as text). */
export type NoticeKind = Notice['kind']

/** In the order of the year's work: the 公示 comes before the decision. */
export const NOTICE_KINDS: readonly { kind: NoticeKind; label: string }[] = [
  { kind: 'publicity', label: '公示' },
  { kind: 'award', label: '命名决定' },
  { kind: 'revocation', label: '撤销通知' },
  { kind: 'rectification', label: '整改通知书' },
  { kind: 'bulletin', label: '情况通报' },
]

/** Whether a kind is the ledger's on a date rather than a campaign's (the 情况通报). */
export function isDated(kind: NoticeKind): boolean {
  return kind === 'bulletin'
}

/** Whether a kind can be made now: the 情况通报 on any day, the others only with a campaign. */
export function available(kind: NoticeKind, year: number | null): boolean {
  return isDated(kind) || year !== null
}

/**
 * The kind to show once the campaigns are known: the one chosen while it can be made, else
 * the 情况通报 (the only notice that needs no campaign).
 */
export function shownKind(kind: NoticeKind, year: number | null): NoticeKind {
  return available(kind, year) ? kind : 'bulletin'
}

/** The year the offered file name is made with: the campaign's, else the bulletin date's. */
export function exportYear(year: number | null, bulletinDate: string): number {
  return year ?? Number(bulletinDate.slice(0, 4))
}

/** Paragraphs as the form's text: one per line. */
export function linesToText(lines: readonly string[] | null): string {
  return (lines ?? []).join('\n')
}

/** The form's text back to paragraphs: one per non-empty line, trimmed. */
export function textToLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** 抄送 as typed ("省委办公厅，省委组织部") to names. */
export function textToCc(text: string): string[] {
  return text
    .split(/[，,、；;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** What must be filled before a notice can be made; messages by field. */
export function validateNoticeSettings(s: NoticeSettings): Record<string, string> {
  const errors: Record<string, string> = {}
  const need: [keyof NoticeSettings, string][] = [
    ['issuer', '发文机关'],
    ['issuer_mark', '发文机关标志'],
    ['printer', '印发机关'],
  ]
  for (const [k, label] of need) {
    if (String(s[k] ?? '').trim() === '') errors[k] = `请填写${label}`
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.date)) errors.date = '请选择成文日期'
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.print_date)) errors.print_date = '请选择印发日期'
  if (s.doc_number.trim() === '') errors.doc_number = '请填写发文字号'
  else if (!/\d+\s*号$/.test(s.doc_number.trim())) errors.doc_number = '发文字号还缺编号'
  return errors
}

/** A notice's name in the list of a batch. */
export function noticeLabel(n: Notice): string {
  switch (n.kind) {
    case 'award':
      return `${n.year}年度命名决定（${n.groups.reduce((k, g) => k + g.agencies.length, 0)}个单位）`
    case 'revocation':
      return `撤销通知：${n.agency}`
    case 'rectification':
      return `整改通知书：${n.agency}（期限${n.deadline}）`
    case 'publicity':
      return `${n.year}年度拟命名对象${n.supplementary ? '补充公示' : '公示'}（${n.groups.reduce((k, g) => k + g.agencies.length, 0)}个单位）`
    case 'bulletin':
      return `问题整改情况通报（截至${n.date}，${n.agencies.length}个单位）`
  }
}

/** The title's lines (a balanced two-line title carries a line break). */
export function titleLines(title: string): string[] {
  return title.split('\n')
}

/** The preview's zoom range and step (the slider's). */
export const ZOOM_MIN = 0.4
export const ZOOM_MAX = 1.2
export const ZOOM_STEP = 0.02

/** An A4 sheet's width on screen at zoom 1: 210 mm at 96 px per inch. */
export const A4_WIDTH_PX = (210 / 25.4) * 96

/**
 * The zoom at which the A4 sheet fills `paneWidth` pixels (less `gutter` for the pane's
 * padding and scroll bar): on the slider's step, rounded down so the sheet is never cut,
 * within the slider's range. In a narrow window the sheet gets smaller instead of being cut
 * at the right; a pane with no width yet (a hidden screen) keeps `fallback`.
 */
export function fitZoom(paneWidth: number, fallback: number, gutter = 28): number {
  if (!(paneWidth > 0)) return fallback
  const raw = (paneWidth - gutter) / A4_WIDTH_PX
  const stepped = Math.floor(raw / ZOOM_STEP + 1e-9) * ZOOM_STEP
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, Number(stepped.toFixed(2))))
}

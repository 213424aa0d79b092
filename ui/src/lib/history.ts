// 导出历年情况 on 单位查询: the range the export is offered with (the stored campaigns' first
// and last year, `history_years`) and the check of the range typed. The workbook is the
// core's (`mofan history`).
import type { HistoryExport, YearRange } from '../bindings'

export type { HistoryExport, YearRange }

/** The from-year and to-year fields as the form holds them (null: not filled). */
export interface RangeForm {
  from: number | null
  to: number | null
}

/** The form a fresh screen starts with: the campaigns' range, or empty without a campaign. */
export function rangeForm(years: YearRange | null): RangeForm {
  return years ? { from: years.from, to: years.to } : { from: null, to: null }
}

/** Why the range cannot be exported yet; null when it can. */
export function rangeError(f: RangeForm): string | null {
  if (f.from === null || f.to === null) return '请填写起止年度'
  if (f.from > f.to) return `起始年度${f.from}晚于截止年度${f.to}`
  return null
}

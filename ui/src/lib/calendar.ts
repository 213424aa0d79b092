// 设置 — 节假日安排: a year's official holiday arrangement as the core shows it, and what the
// card says about it. Which days are working days is the core's rule.
import { labelOf } from './vocabulary'

import type { CalendarDayKind, ImportedYear, YearView } from '../bindings'

export type { CalendarDayKind, ImportedYear, YearView }

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六']

/** "星期三" for "2026-11-04". */
export function weekdayOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return WEEKDAYS[new Date(y, m - 1, d).getDay()]
}

export interface CalendarRow {
  day: string
  weekday: string
  kind: CalendarDayKind
  label: string
}

/** The year's listed days in date order, holidays and worked weekend days together. */
export function calendarRows(y: YearView): CalendarRow[] {
  const row = (day: string, kind: CalendarDayKind): CalendarRow => ({
    day,
    weekday: weekdayOf(day),
    kind,
    label: labelOf('calendar_day_kind', kind),
  })
  return [...y.holidays.map((d) => row(d, 'holiday')), ...y.workdays.map((d) => row(d, 'workday'))].sort((a, b) =>
    a.day.localeCompare(b.day),
  )
}

/** "2026年：放假11天，调休上班2天，全年工作日248天", or the core's warning for a year without one. */
export function calendarLine(y: YearView): string {
  if (!y.arranged) return y.warning ?? `未设置${y.year}年节假日安排`
  return `${y.year}年：放假${y.holidays.length}天，调休上班${y.workdays.length}天，全年工作日${y.working_days}天`
}

/** What an import did: "已导入节假日安排：2026年（放假13天，调休上班3天）、…". */
export function importedLine(years: readonly ImportedYear[]): string {
  const parts = years.map(
    (y) => `${y.year}年（${y.replaced ? '替换原有安排，' : ''}放假${y.holidays}天，调休上班${y.workdays}天）`,
  )
  return `已导入节假日安排：${parts.join('、')}`
}

/**
 * A refused file's problems, one per line: the core's message names the file, then gives
 * each problem at its line ("第3行 years[0].holidays[1]：…"), separated by "；".
 */
export function problemLines(message: string): string[] {
  const at = message.indexOf('：')
  if (!message.startsWith('节假日安排文件') || at < 0) return [message]
  return [message.slice(0, at + 1), ...message.slice(at + 1).split('；')]
}

// 设置: the operator's name, the database location, backup and restore, demo data.

import type { DemoReport, SettingsView } from '../bindings'

export type { DemoReport, SettingsView }

/** Checks an operator name typed by the user; blank means "use the default". */
export function validateOperator(name: string): string | null {
  const n = name.trim()
  if ([...n].length > 32) return '操作人姓名不能超过32个字'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(n)) return '操作人姓名不能含有控制字符'
  return null
}

/** The year offered for the demo: this year if free, else the nearest earlier free year. */
export function suggestDemoYear(taken: readonly number[], now: Date = new Date()): number {
  for (let y = now.getFullYear(); y >= 2000; y--) if (!taken.includes(y)) return y
  for (let y = now.getFullYear() + 1; y <= 2100; y++) if (!taken.includes(y)) return y
  return now.getFullYear()
}

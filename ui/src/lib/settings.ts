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

/** Checks the name asked for at first start: required there, else as in 设置. */
export function validateFirstOperator(name: string): string | null {
  return name.trim() === '' ? '请填写您的姓名，操作日志将以此记录每一步操作' : validateOperator(name)
}

import { describe, expect, it } from 'vitest'
import { suggestDemoYear, validateOperator } from './settings'

describe('settings', () => {
  it('checks operator names', () => {
    expect(validateOperator('王科员')).toBeNull()
    expect(validateOperator('   ')).toBeNull()
    expect(validateOperator('长'.repeat(33))).toBe('操作人姓名不能超过32个字')
    expect(validateOperator('王\u0007')).toBe('操作人姓名不能含有控制字符')
  })

  it('offers a free year for the demo', () => {
    const now = new Date(2026, 5, 1)
    expect(suggestDemoYear([], now)).toBe(2026)
    expect(suggestDemoYear([2026, 2025], now)).toBe(2024)
  })
})

import { describe, expect, it } from 'vitest'
import { validateFirstOperator, validateOperator } from './settings'

describe('settings', () => {
  it('checks operator names', () => {
    expect(validateOperator('王科员')).toBeNull()
    expect(validateOperator('   ')).toBeNull()
    expect(validateOperator('长'.repeat(33))).toBe('操作人姓名不能超过32个字')
    expect(validateOperator('王\u0007')).toBe('操作人姓名不能含有控制字符')
  })

  it('requires a name at first start', () => {
    expect(validateFirstOperator('  ')).toMatch(/^请填写您的姓名/)
    expect(validateFirstOperator('王科员')).toBeNull()
    expect(validateFirstOperator('长'.repeat(33))).toBe('操作人姓名不能超过32个字')
  })
})

import { describe, expect, it } from 'vitest'
import {
  emptyCreateForm,
  hasErrors,
  toCreateRequest,
  validateCreateForm,
  type CreateCampaignForm,
} from './createForm'

describe('create campaign form', () => {
  it('starts with the given year and the default scheme', () => {
    expect(emptyCreateForm(2026)).toEqual({ year: 2026, schemeSource: 'default', schemePath: null })
  })

  it('is valid with a year and the default scheme', () => {
    const form = emptyCreateForm(2026)
    expect(hasErrors(validateCreateForm(form))).toBe(false)
    expect(toCreateRequest(form)).toEqual({ year: 2026, schemePath: null })
  })

  it('requires a file when importing a scheme', () => {
    const form: CreateCampaignForm = { year: 2026, schemeSource: 'file', schemePath: null }
    expect(validateCreateForm(form)).toEqual({ schemePath: '请选择评选方案文件（.toml）' })
    expect(() => toCreateRequest(form)).toThrow('请选择评选方案文件（.toml）')
    expect(validateCreateForm({ ...form, schemePath: '   ' }).schemePath).toBeDefined()
  })

  it('sends the chosen file only when importing', () => {
    const form: CreateCampaignForm = {
      year: 2027,
      schemeSource: 'file',
      schemePath: ' /home/u/方案.toml ',
    }
    expect(toCreateRequest(form)).toEqual({ year: 2027, schemePath: '/home/u/方案.toml' })
    expect(toCreateRequest({ ...form, schemeSource: 'default' })).toEqual({
      year: 2027,
      schemePath: null,
    })
  })

  it('reports a bad year and a missing file together', () => {
    const errors = validateCreateForm({ year: 1990, schemeSource: 'file', schemePath: '' })
    expect(errors).toEqual({
      year: '年度应在 2000–2100 之间',
      schemePath: '请选择评选方案文件（.toml）',
    })
    expect(() => toCreateRequest({ year: null, schemeSource: 'default', schemePath: null })).toThrow(
      '请填写评选年度',
    )
  })
})

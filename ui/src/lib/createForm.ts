// The "新建评选年度" form: its model, its checks and the request it turns into.
import { validateYear } from './campaign'

/** Where the scheme of a new campaign comes from. */
export type SchemeSource = 'default' | 'file'

export interface CreateCampaignForm {
  year: number | null
  schemeSource: SchemeSource
  schemePath: string | null
}

/** Arguments of the `create_campaign` command (Tauri maps `schemePath` to `scheme_path`). */
export interface CreateCampaignRequest {
  year: number
  schemePath: string | null
}

/** Per-field Chinese messages; an empty object means the form can be submitted. */
export interface CreateFormErrors {
  year?: string
  schemePath?: string
}

export function emptyCreateForm(year: number): CreateCampaignForm {
  return { year, schemeSource: 'default', schemePath: null }
}

export function validateCreateForm(form: CreateCampaignForm): CreateFormErrors {
  const errors: CreateFormErrors = {}
  const yearError = validateYear(form.year)
  if (yearError) {
    errors.year = yearError
  }
  if (form.schemeSource === 'file' && !form.schemePath?.trim()) {
    errors.schemePath = '请选择评选方案文件（.toml）'
  }
  return errors
}

export function hasErrors(errors: CreateFormErrors): boolean {
  return Object.values(errors).some((message) => Boolean(message))
}

/**
 * Turns a valid form into the command arguments: the file path is sent only when the user
 * chose to import a scheme, so switching back to the default scheme drops a chosen file.
 */
export function toCreateRequest(form: CreateCampaignForm): CreateCampaignRequest {
  const errors = validateCreateForm(form)
  if (hasErrors(errors)) {
    throw new Error(errors.year ?? errors.schemePath)
  }
  return {
    year: form.year as number,
    schemePath: form.schemeSource === 'file' ? (form.schemePath as string).trim() : null,
  }
}

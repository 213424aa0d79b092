// Typed wrappers around the desktop shell's Tauri commands.
import { invoke, isTauri } from '@tauri-apps/api/core'
import { open } from '@tauri-apps/plugin-dialog'
import type { CampaignSummary } from './lib/campaign'
import type { CreateCampaignRequest } from './lib/createForm'

/** An error reported by a command: `code` is stable, `message` is Chinese and shown as is. */
export class ApiError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}

/** Code used when the page runs outside the desktop shell (e.g. plain `npm run dev` in a browser). */
export const NO_SHELL = 'no_shell'

function isCodedObject(value: unknown): value is { code: string; message: string } {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.code === 'string' && typeof v.message === 'string'
}

/** Maps whatever a command rejected with to an `ApiError`. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (isCodedObject(error)) return new ApiError(error.code, error.message)
  if (typeof error === 'string') return new ApiError('error', error)
  if (error instanceof Error) return new ApiError('error', error.message)
  return new ApiError('error', `未知错误：${String(error)}`)
}

function requireShell(): void {
  if (!isTauri()) {
    throw new ApiError(NO_SHELL, '未连接到桌面程序：请通过“模范机关评选”桌面应用打开本界面。')
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  requireShell()
  try {
    return await invoke<T>(command, args)
  } catch (error) {
    throw toApiError(error)
  }
}

/** All campaigns, as the core lists them. */
export function listCampaigns(): Promise<CampaignSummary[]> {
  return call<CampaignSummary[]>('list_campaigns')
}

/** Creates the campaign of a year, with the default scheme or one read from a TOML file. */
export function createCampaign(request: CreateCampaignRequest): Promise<CampaignSummary> {
  return call<CampaignSummary>('create_campaign', {
    year: request.year,
    schemePath: request.schemePath,
  })
}

/** Asks the user for a scheme file; `null` when the dialog is cancelled. */
export async function pickSchemeFile(): Promise<string | null> {
  requireShell()
  try {
    const chosen = await open({
      multiple: false,
      directory: false,
      title: '选择评选方案文件',
      filters: [{ name: '评选方案', extensions: ['toml'] }],
    })
    return typeof chosen === 'string' ? chosen : null
  } catch (error) {
    throw toApiError(error)
  }
}

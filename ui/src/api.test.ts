import { beforeEach, describe, expect, it, vi } from 'vitest'

const invoke = vi.fn()
const open = vi.fn()
let inShell = true
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  isTauri: () => inShell,
}))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: (...args: unknown[]) => open(...args) }))

const { ApiError, NO_SHELL, createCampaign, listCampaigns, pickSchemeFile, toApiError } =
  await import('./api')

beforeEach(() => {
  inShell = true
  invoke.mockReset()
  open.mockReset()
})

describe('toApiError', () => {
  it('keeps the code and Chinese message of a command error', () => {
    const err = toApiError({ code: 'campaign_exists', message: '2026年度评选已存在' })
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('campaign_exists')
    expect(err.message).toBe('2026年度评选已存在')
  })

  it('wraps strings, errors and odd values', () => {
    expect(toApiError('出错了').message).toBe('出错了')
    expect(toApiError(new Error('boom')).code).toBe('error')
    expect(toApiError(42).message).toBe('未知错误：42')
    expect(toApiError({ code: 1, message: 'x' }).code).toBe('error')
  })

})

describe('outside the desktop shell', () => {
  it('explains instead of calling the missing IPC bridge', async () => {
    inShell = false
    await expect(listCampaigns()).rejects.toMatchObject({ code: NO_SHELL })
    await expect(pickSchemeFile()).rejects.toMatchObject({ code: NO_SHELL })
    await expect(listCampaigns()).rejects.toThrow(/桌面/)
    expect(invoke).not.toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
  })
})

describe('commands', () => {
  it('lists campaigns through list_campaigns', async () => {
    const rows = [
      { year: 2026, title: 't', status: 'draft', created_at: '', returns: 0, files: 0 },
    ]
    invoke.mockResolvedValueOnce(rows)
    await expect(listCampaigns()).resolves.toEqual(rows)
    expect(invoke).toHaveBeenCalledWith('list_campaigns', undefined)
  })

  it('sends year and schemePath to create_campaign', async () => {
    invoke.mockResolvedValueOnce({ year: 2027 })
    await createCampaign({ year: 2027, schemePath: '/tmp/a.toml' })
    expect(invoke).toHaveBeenCalledWith('create_campaign', { year: 2027, schemePath: '/tmp/a.toml' })
  })

  it('rejects with an ApiError carrying the core message', async () => {
    invoke.mockRejectedValueOnce({ code: 'scheme_invalid', message: '评选方案有误：权重之和不为1' })
    const failure = createCampaign({ year: 2026, schemePath: null })
    await expect(failure).rejects.toBeInstanceOf(ApiError)
    await expect(failure).rejects.toMatchObject({
      code: 'scheme_invalid',
      message: '评选方案有误：权重之和不为1',
    })
  })
})

describe('pickSchemeFile', () => {
  it('opens a single-file dialog filtered to .toml', async () => {
    open.mockResolvedValueOnce('/home/u/方案.toml')
    await expect(pickSchemeFile()).resolves.toBe('/home/u/方案.toml')
    const options = open.mock.calls[0][0]
    expect(options.multiple).toBe(false)
    expect(options.directory).toBe(false)
    expect(options.filters).toEqual([{ name: '评选方案', extensions: ['toml'] }])
  })

  it('returns null when cancelled', async () => {
    open.mockResolvedValueOnce(null)
    await expect(pickSchemeFile()).resolves.toBeNull()
  })
})

import { beforeEach, describe, expect, it, vi } from 'vitest'

const invoke = vi.fn()
let inShell = true
class FakeChannel {
  onmessage: ((m: unknown) => void) | null = null
}
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  isTauri: () => inShell,
  Channel: FakeChannel,
}))
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }))

const {
  ApiError,
  NO_SHELL,
  createCampaign,
  importFiles,
  listCampaigns,
  loadVocabulary,
  pickFiles,
  pickSchemeFile,
  previewImport,
  toApiError,
} = await import('./api')

beforeEach(() => {
  inShell = true
  invoke.mockReset()
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
  })
})

describe('commands', () => {
  it('loads the core vocabulary through vocabulary', async () => {
    const labels = { tier: [{ key: 'county', label: '县级' }] }
    invoke.mockResolvedValueOnce(labels)
    await expect(loadVocabulary()).resolves.toEqual(labels)
    expect(invoke).toHaveBeenCalledWith('vocabulary', undefined)
  })

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

describe('file dialogs run in the shell', () => {
  it('asks pick_files for a scheme file and takes the first path', async () => {
    invoke.mockResolvedValueOnce(['/home/u/方案.toml'])
    await expect(pickSchemeFile()).resolves.toBe('/home/u/方案.toml')
    expect(invoke).toHaveBeenCalledWith('pick_files', { kind: 'scheme' })
  })

  it('returns null when cancelled', async () => {
    invoke.mockResolvedValueOnce([])
    await expect(pickSchemeFile()).resolves.toBeNull()
  })

  it('returns every chosen return', async () => {
    invoke.mockResolvedValueOnce(['/a.xlsx', '/b.xls'])
    await expect(pickFiles('returns')).resolves.toEqual(['/a.xlsx', '/b.xls'])
  })
})

describe('imports', () => {
  it('previews with the hand mapping', async () => {
    invoke.mockResolvedValueOnce({ file: 'a.xlsx' })
    await previewImport(2026, '/a.xlsx', [{ header: '民意调查', field: 'public' }])
    expect(invoke).toHaveBeenCalledWith('preview_import', {
      year: 2026,
      path: '/a.xlsx',
      mapping: [{ header: '民意调查', field: 'public' }],
    })
  })

  it('passes a channel whose messages reach the handler', async () => {
    const events: unknown[] = []
    invoke.mockImplementationOnce(async (_cmd: string, args: { onEvent: FakeChannel }) => {
      args.onEvent.onmessage?.({ kind: 'started', index: 0, total: 1, file: 'a.xlsx' })
      return { reports: [], cancelled: false, not_started: [] }
    })
    await importFiles(2026, [{ path: '/a.xlsx', mapping: [] }], true, (e) => events.push(e))
    expect(events).toEqual([{ kind: 'started', index: 0, total: 1, file: 'a.xlsx' }])
    const args = invoke.mock.calls[0][1]
    expect(args.year).toBe(2026)
    expect(args.partial).toBe(true)
    expect(args.files).toEqual([{ path: '/a.xlsx', mapping: [] }])
  })
})

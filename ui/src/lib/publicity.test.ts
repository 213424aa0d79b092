import { describe, expect, it } from 'vitest'
import {
  channelLabel,
  isoDay,
  objectionAgencies,
  planLine,
  publishOnLine,
  resolutionLabel,
  resolutionTag,
  roundTitle,
  searchAgencies,
  validateObjection,
  validateResolution,
  type PublicityView,
  type RoundView,
} from './publicity'

function round(number: number, agencies: [number, string | null, string][]): RoundView {
  return {
    number,
    supplementary: number > 1,
    from: '2026-11-02',
    to: '2026-11-06',
    period: '2026年11月2日至11月6日',
    working_days: 5,
    agencies: agencies.map(([agency_id, uscc, name]) => ({ agency_id, uscc, name })),
    operator: '王科员',
    at: '2026-11-02T09:00:00+08:00',
  }
}

function view(rounds: RoundView[]): PublicityView {
  return {
    year: 2026,
    on: '2026-11-04',
    working_days: 5,
    rounds,
    objections: [],
    objections_open: 0,
    can_publish_on: null,
    blocked_by: [],
    calendar_warnings: [],
  }
}

describe('公示 panel', () => {
  it('names rounds and periods', () => {
    expect(roundTitle({ number: 1, supplementary: false })).toBe('第1轮公示')
    expect(roundTitle({ number: 2, supplementary: true })).toBe('第2轮补充公示')
    const r = round(1, [])
    expect(
      planLine({
        period: r.period,
        plan: { number: 1, supplementary: false, from: r.from, to: r.to, working_days: 5, agencies: [], warnings: [] },
      }),
    ).toBe('2026年11月2日至11月6日，共5个工作日')
    expect(isoDay(new Date(2026, 0, 5))).toBe('2026-01-05')
    expect(publishOnLine('2026-11-09')).toBe('可于2026年11月9日起发布')
    expect(publishOnLine(null)).toBeNull()
  })

  it('offers each publicised unit once, by code or name, and searches them', () => {
    const v = view([
      round(1, [
        [1, '11440100MB2C12345X', '广州市应急管理局'],
        [2, null, '广州市民政局'],
      ]),
      round(2, [[3, '11440100MB2C99999Y', '广州市司法局']]),
    ])
    const list = objectionAgencies(v)
    expect(list).toEqual([
      { value: '11440100MB2C12345X', label: '广州市应急管理局' },
      { value: '广州市民政局', label: '广州市民政局' },
      { value: '11440100MB2C99999Y', label: '广州市司法局' },
    ])
    expect(searchAgencies(list, ' 民政 ').map((a) => a.label)).toEqual(['广州市民政局'])
    expect(searchAgencies(list, '99999y').map((a) => a.label)).toEqual(['广州市司法局'])
    expect(searchAgencies(list, '')).toHaveLength(3)
  })

  it('labels channels and resolutions from the vocabulary', () => {
    expect(channelLabel('phone')).toBe('来电')
    expect(resolutionLabel(null)).toBe('未处理')
    expect(resolutionLabel('upheld')).toBe('异议成立')
    expect([resolutionTag(null), resolutionTag('upheld'), resolutionTag('rejected')]).toEqual(['warning', 'danger', 'info'])
  })

  it('checks the dialogs before sending', () => {
    const empty = { agency: '', date: '', channel: 'letter' as const, content: ' ', objector: null }
    expect(Object.keys(validateObjection(empty)).sort()).toEqual(['agency', 'content', 'date'])
    expect(validateObjection({ ...empty, agency: '广州市民政局', date: '2026-11-03', content: '反映问题' })).toEqual({})
    expect(validateResolution({ resolution: 'upheld', reason: '  ', date: '2026-11-05' })).toEqual({ reason: '请填写处理理由' })
    expect(Object.keys(validateResolution({ resolution: '', reason: '', date: '' })).sort()).toEqual([
      'date',
      'reason',
      'resolution',
    ])
  })
})

import { describe, expect, it } from 'vitest'
import {
  campaignLabel,
  chooseCurrent,
  defaultYear,
  parseRememberedYear,
  formatCreatedAt,
  sortCampaigns,
  statusLabel,
  statusTagType,
  validateYear,
  type CampaignSummary,
  deletionMessage,
  yearLabel,
} from './campaign'

describe('campaignLabel', () => {
  it('names the title and the state, and says when the data changed since the run', () => {
    expect(campaignLabel({ title: '2026年度模范机关评选', status: 'draft', stale: false })).toBe('2026年度模范机关评选（草稿）')
    expect(campaignLabel({ title: '2026年度模范机关评选', status: 'selected', stale: true })).toBe(
      '2026年度模范机关评选（已评选，数据已变化）',
    )
  })
})

describe('status', () => {
  it('maps every core status to its Chinese label', () => {
    expect(statusLabel('draft')).toBe('草稿')
    expect(statusLabel('selected')).toBe('已评选')
    expect(statusLabel('published')).toBe('已发布')
  })

  it('shows an unknown status instead of hiding it', () => {
    expect(statusLabel('archived')).toBe('未知状态（archived）')
    expect(statusTagType('archived')).toBe('danger')
  })

  it('gives each status its own tag colour', () => {
    const types = ['draft', 'selected', 'published'].map(statusTagType)
    expect(types).toEqual(['info', 'warning', 'success'])
  })

  it('does not treat inherited object keys as statuses', () => {
    expect(statusLabel('toString')).toBe('未知状态（toString）')
  })
})

describe('validateYear', () => {
  it('accepts the bounds and the years between', () => {
    expect(validateYear(2000)).toBeNull()
    expect(validateYear(2026)).toBeNull()
    expect(validateYear(2100)).toBeNull()
    expect(validateYear(' 2030 ')).toBeNull()
  })

  it('rejects years outside 2000–2100', () => {
    expect(validateYear(1999)).toBe('年度应在 2000–2100 之间')
    expect(validateYear(2101)).toBe('年度应在 2000–2100 之间')
    expect(validateYear(-2026)).toBe('年度应在 2000–2100 之间')
  })

  it('rejects empty, non-numeric and fractional input', () => {
    expect(validateYear(null)).toBe('请填写评选年度')
    expect(validateYear(undefined)).toBe('请填写评选年度')
    expect(validateYear('')).toBe('请填写评选年度')
    expect(validateYear('二〇二六')).toBe('年度必须是数字')
    expect(validateYear(Number.NaN)).toBe('年度必须是数字')
    expect(validateYear(2026.5)).toBe('年度必须是整数')
  })
})

describe('defaultYear', () => {
  it('is the current year, clamped into range', () => {
    expect(defaultYear(new Date(2026, 5, 1))).toBe(2026)
    expect(defaultYear(new Date(1995, 0, 1))).toBe(2000)
    expect(defaultYear(new Date(2200, 0, 1))).toBe(2100)
  })
})

describe('formatCreatedAt', () => {
  it('shortens RFC 3339 and SQL timestamps to minutes without shifting the zone', () => {
    expect(formatCreatedAt('2026-03-01T08:05:09+08:00')).toBe('2026-03-01 08:05')
    expect(formatCreatedAt('2026-03-01 23:59:59')).toBe('2026-03-01 23:59')
  })

  it('leaves other text unchanged', () => {
    expect(formatCreatedAt('昨天')).toBe('昨天')
    expect(formatCreatedAt('')).toBe('')
  })
})

describe('sortCampaigns', () => {
  it('puts the newest year first and keeps the input intact', () => {
    const row = (year: number): CampaignSummary => ({
      year,
      title: `${year}年度模范机关评选`,
      status: 'draft',
      created_at: '',
      returns: 0,
      files: 0,
      stale: false,
      demo: false,
      deletable: true,
    })
    const rows = [row(2024), row(2026), row(2025)]
    expect(sortCampaigns(rows).map((r) => r.year)).toEqual([2026, 2025, 2024])
    expect(rows.map((r) => r.year)).toEqual([2024, 2026, 2025])
  })
})

describe('current campaign', () => {
  const rows = [2025, 2027, 2026].map((year) => ({
    year,
    title: `${year}年度模范机关评选`,
    status: 'draft' as const,
    created_at: '',
    returns: 0,
    files: 0,
    stale: false,
    demo: false,
    deletable: true,
  }))

  it('keeps the remembered year while it exists, else the newest', () => {
    expect(chooseCurrent(rows, 2025)).toBe(2025)
    expect(chooseCurrent(rows, 2030)).toBe(2027)
    expect(chooseCurrent(rows, null)).toBe(2027)
    expect(chooseCurrent([], 2025)).toBeNull()
  })

  it('reads only a four-digit year back from storage', () => {
    expect(parseRememberedYear('2026')).toBe(2026)
    expect(parseRememberedYear(' 2026 ')).toBe(2026)
    expect(parseRememberedYear('abc')).toBeNull()
    expect(parseRememberedYear(null)).toBeNull()
  })
})

describe('deleting and the demo', () => {
  const deletion = {
    year: 2026,
    title: '2026年度模范机关评选',
    demo: false,
    returns: 3,
    return_rows: 5,
    files: 2,
    overrides: 1,
    reviews: 0,
    awards: 0,
    refused: null,
  }

  it('names what a deletion removes', () => {
    expect(deletionMessage(deletion)).toBe(
      '将删除“2026年度模范机关评选”及其申报3条（连同被替换、撤回的历史记录共5条）、导入文件2个、评审组调整1条。删除后不能恢复（可先备份数据库）；操作日志保留删除记录。是否删除？',
    )
    const demo = { ...deletion, year: 1990, title: '【示例】模范机关评选', demo: true, returns: 48, return_rows: 48, reviews: 2, awards: 4 }
    expect(deletionMessage(demo)).toContain('申报48条、导入文件2个、评审组调整1条、复查记录2条、虚构的命名记录4条。')
    expect(deletionMessage({ ...deletion, refused: '2026年度评选已评选，不能删除' })).toBe('2026年度评选已评选，不能删除')
  })

  it('shows the demo as 示例 instead of its year', () => {
    expect(yearLabel({ year: 1990, demo: true })).toBe('示例')
    expect(yearLabel({ year: 2026, demo: false })).toBe('2026')
    expect(campaignLabel({ title: '【示例】模范机关评选', status: 'selected' })).toBe('【示例】模范机关评选（已评选）')
  })
})

import { describe, expect, it } from 'vitest'
import {
  awardCounts,
  awardLabel,
  defaultReviewDate,
  filterAwards,
  outcomeLabel,
  outcomeTag,
  reviewLists,
  reviewSummary,
  triggerLabel,
  validateReviewDate,
  type AwardRow,
  type ReviewRow,
} from './reviews'

function review(name: string, outcome: ReviewRow['outcome']): ReviewRow {
  return {
    award_id: 1,
    agency_id: 1,
    uscc: null,
    name,
    tier: 'city',
    region: '广州市',
    unit_type: '政府机关',
    award_year: 2022,
    title: '模范机关',
    doc_number: null,
    status: 'active',
    composite: null,
    trigger: 'cycle',
    outcome,
    reasons: [],
    deadline: null,
  }
}

function award(over: Partial<AwardRow>): AwardRow {
  return {
    id: 1,
    agency_id: 1,
    uscc: null,
    name: '广州市审计局',
    tier: 'city',
    region: '广州市',
    unit_type: '政府机关',
    title: '模范机关',
    year: 2022,
    doc_number: '穗直工委〔2022〕8号',
    status: 'active',
    last_review_year: null,
    rectify_deadline: null,
    revoked_year: null,
    ...over,
  }
}

describe('review date', () => {
  it('offers today within the campaign year, else 1 December', () => {
    expect(defaultReviewDate(2026, new Date(2026, 2, 5))).toBe('2026-03-05')
    expect(defaultReviewDate(2026, new Date(2027, 0, 9))).toBe('2026-12-01')
  })

  it('accepts only real dates of the campaign year', () => {
    expect(validateReviewDate('2026-12-01', 2026)).toBeNull()
    expect(validateReviewDate('', 2026)).toBe('请选择复查日期')
    expect(validateReviewDate('2026-02-30', 2026)).toBe('日期无效')
    expect(validateReviewDate('2025-12-01', 2026)).toBe('复查日期应在2026年内')
  })
})

describe('review lists', () => {
  it('splits the due awards into the three lists and sums them up', () => {
    const rows = [review('甲', 'retain'), review('乙', 'rectify'), review('丙', 'revoke'), review('丁', 'rectify')]
    const lists = reviewLists(rows)
    expect(lists.all.length).toBe(4)
    expect(lists.rectify.map((r) => r.name)).toEqual(['乙', '丁'])
    expect(lists.revoke.map((r) => r.name)).toEqual(['丙'])
    expect(reviewSummary(rows)).toBe('复查4家：保留称号1家，限期整改2家，撤销称号1家')
    expect(reviewSummary([])).toBe('没有需要复查的单位')
    expect(reviewSummary([], 16)).toBe('没有需要复查的单位')
    expect(reviewSummary([], 0)).toBe('命名记录为空，无法复查：请先导入历年命名记录')
  })

  it('labels triggers, outcomes and award states', () => {
    expect(triggerLabel('deadline')).toBe('整改期满')
    expect(outcomeLabel('revoke')).toBe('撤销称号')
    expect(outcomeTag('rectify')).toBe('warning')
    expect(awardLabel('rectifying')).toBe('整改中')
  })
})

describe('registry filters', () => {
  const rows = [
    award({ id: 1 }),
    award({ id: 2, name: '广东省司法厅', status: 'rectifying', region: null, doc_number: '粤直工委〔2021〕3号' }),
    award({ id: 3, name: '韶关市民政局', status: 'revoked', region: '韶关市' }),
  ]

  it('filters by status and searches name, code, region and 文号', () => {
    expect(filterAwards(rows, { status: 'rectifying', query: '' }).map((a) => a.id)).toEqual([2])
    expect(filterAwards(rows, { status: '', query: '韶关' }).map((a) => a.id)).toEqual([3])
    expect(filterAwards(rows, { status: '', query: '粤直工委' }).map((a) => a.id)).toEqual([2])
    expect(awardCounts(rows)).toEqual({ active: 1, rectifying: 1, revoked: 1 })
  })
})

import { describe, expect, it } from 'vitest'
import {
  appliedTitle,
  applyConfirmation,
  awardCounts,
  awardLabel,
  dayOf,
  defaultReviewDate,
  filterAwards,
  outcomeLabel,
  outcomeTag,
  reviewLists,
  reviewScreen,
  reviewSummary,
  triggerLabel,
  validateReviewDate,
  type AwardRow,
  type ReviewRecord,
  type ReviewRow,
  type ReviewView,
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

describe('the review applied this year', () => {
  const applied = [review('甲', 'retain'), review('乙', 'rectify'), review('丙', 'revoke')]
  const record: ReviewRecord = {
    year: 2026,
    date: '2026-12-01',
    operator: '王科员',
    applied_at: '2026-12-03T14:05:09+08:00',
    rows: applied,
  }
  const view = (rows: ReviewRow[], date = '2026-12-15'): ReviewView => ({ date, rows, applied: null, open_problems: [] })

  it('says when and by whom it was applied', () => {
    expect(dayOf(record.applied_at)).toBe('2026-12-03')
    expect(appliedTitle(record)).toBe('已于 2026-12-03 应用复查结果（王科员）')
  })

  it('shows nothing to apply before a review is run', () => {
    const s = reviewScreen(null, null, 16)
    expect(s.mode).toBe('none')
    expect(s.rows).toEqual([])
    expect(s.applyBlocked).toBe('请先运行复查')
    expect(s.applyNote).toBeNull()
    expect(s.canExport).toBe(false)
  })

  it('offers to apply a review run before one was applied', () => {
    const s = reviewScreen(view(applied, '2026-12-01'), null, 16)
    expect(s.mode).toBe('run')
    expect(s.title).toBe('2026-12-01：复查3家：保留称号1家，限期整改1家，撤销称号1家')
    expect(s.description).toMatch(/尚未应用/)
    expect(s.alert).toBe('warning')
    expect(s.applyBlocked).toBeNull()
    expect(s.rows.map((r) => r.name)).toEqual(['甲', '乙', '丙'])
  })

  it('lets a review that found nobody due be applied, but not with an empty registry', () => {
    const nobody = reviewScreen(view([]), null, 16)
    expect(nobody.applyBlocked).toBeNull()
    expect(nobody.alert).toBe('success')
    const empty = reviewScreen(view([]), null, 0)
    expect(empty.applyBlocked).toBe('命名记录为空，请先导入历年命名记录')
    expect(empty.applyNote).toBe('命名记录为空')
    expect(empty.title).toMatch(/命名记录为空，无法复查/)
  })

  it('shows the applied review as recorded, with applying disabled and the reason shown', () => {
    const s = reviewScreen(null, record, 16)
    expect(s.mode).toBe('applied')
    expect(s.rows).toEqual(applied)
    expect(s.title).toBe('已于 2026-12-03 应用复查结果（王科员）')
    expect(s.description).toBe(
      '复查日期 2026-12-01 · 复查3家：保留称号1家，限期整改1家，撤销称号1家。命名记录已按此更新，导出名单导出的就是这份结果。',
    )
    expect(s.alert).toBe('success')
    expect(s.applyBlocked).toBe('本年度复查结果已于 2026-12-03 应用，不能再次应用')
    expect(s.applyNote).toBe('本年度已应用，不能再次应用')
    expect(s.canExport).toBe(true)
  })

  it('shows a review run after applying as a what-if that cannot be applied', () => {
    // Run again on changed data, the review finds only one award due.
    const s = reviewScreen(view([review('丁', 'rectify')]), record, 16)
    expect(s.mode).toBe('whatIf')
    expect(s.rows.map((r) => r.name)).toEqual(['丁'])
    expect(s.title).toBe('预览 2026-12-15：复查1家：保留称号0家，限期整改1家，撤销称号0家')
    expect(s.description).toMatch(/^已于 2026-12-03 应用复查结果（王科员），复查日期 2026-12-01。此预览按当前数据重新计算，不会应用/)
    expect(s.alert).toBe('info')
    expect(s.applyBlocked).not.toBeNull()
  })

  it('asks before applying, saying it is done once', () => {
    expect(applyConfirmation(applied)).toMatch(/^复查3家：保留称号1家，限期整改1家，撤销称号1家。应用后，命名记录的状态按复查结论更新/)
    expect(applyConfirmation(applied)).toMatch(/每个年度只能应用一次/)
    expect(applyConfirmation([])).toMatch(/^没有需要复查的单位。应用后记录本年度已复查，命名记录不变/)
  })
})

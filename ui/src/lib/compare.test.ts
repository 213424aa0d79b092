import { describe, expect, it } from 'vitest'
import { changeText, comparisonSummary, poolChangeText, unitPool, unitRanks, unitScores, type UnitChange } from './compare'

function unit(over: Partial<UnitChange> = {}): UnitChange {
  return {
    agency_id: 1,
    name: '广州市越秀区财政局',
    pool_before: '县级/广州市越秀区',
    pool_after: '县级/广州市越秀区',
    composite_before: '93.615',
    composite_after: '93.615',
    rank_before: 2,
    rank_after: 2,
    reasons_after: ['第2名，本组名额1个'],
    ...over,
  }
}

describe('方案对比 in words', () => {
  it('sums up what changes', () => {
    expect(comparisonSummary({ changed: 0, groups: [], pools: [] })).toBe('按修改后的方案，评选结果不变')
    const pool = { pool: 'county/广州市越秀区', label: '县级/广州市越秀区', quota_before: 2, quota_after: 1, selected_before: 2, selected_after: 1 }
    expect(comparisonSummary({ changed: 3, groups: [], pools: [pool] })).toBe('按修改后的方案，3家单位的结果会改变，1个组的名额会改变')
    expect(comparisonSummary({ changed: 0, groups: [], pools: [pool] })).toBe('按修改后的方案，1个组的名额会改变')
  })

  it('says how a pool changes, also when it appears or goes', () => {
    const p = { pool: 'x', label: 'x', quota_before: 2, quota_after: 1, selected_before: 2, selected_after: 1 }
    expect(poolChangeText(p)).toBe('名额 2 → 1（入选 2 → 1）')
    expect(poolChangeText({ ...p, quota_before: null, selected_before: null })).toBe('改后新设此组：名额 1，入选 1')
    expect(poolChangeText({ ...p, quota_after: null, selected_after: null })).toBe('改后不再单列此组（现名额 2）')
  })

  it('shows a value once when it stays and both when it changes', () => {
    expect(changeText('1', '1')).toBe('1')
    expect(changeText('1', '2')).toBe('1 → 2')
    expect(changeText(null, null)).toBe('—')
    expect(changeText(null, '2')).toBe('— → 2')
    expect(unitScores(unit())).toBe('93.62')
    expect(unitScores(unit({ composite_after: '91.05' }))).toBe('93.62 → 91.05')
    expect(unitScores(unit({ composite_before: null, composite_after: null }))).toBe('—')
    expect(unitRanks(unit({ rank_after: 3 }))).toBe('第2名 → 第3名')
    expect(unitRanks(unit({ rank_after: null }))).toBe('第2名 → —')
    expect(unitPool(unit())).toBe('县级/广州市越秀区')
    expect(unitPool(unit({ pool_after: null }))).toBe('县级/广州市越秀区 → 无适用名额')
  })
})

import { describe, expect, it } from 'vitest'
import { poolCounts, poolGroups } from './pools'
import { NO_POOL, type ResultTab } from './results'

function tab(over: Partial<ResultTab>): ResultTab {
  return { key: 'county/广州市越秀区', label: '县级/广州市越秀区', tier: 'county', rows: 4, pending: 0, selected: 2, quota: 2, ...over }
}

describe('the pool selector', () => {
  const tabs = [
    tab({ key: 'province/党群机关', label: '省直/党群机关', tier: 'province', selected: 1, quota: 1 }),
    tab({ key: 'county/广州市越秀区', label: '县级/广州市越秀区' }),
    tab({ key: 'city/广州市', label: '市级/广州市', tier: 'city', selected: 3, quota: 4 }),
    tab({ key: 'county/广州市天河区', label: '县级/广州市天河区', pending: 2, selected: 1 }),
    tab({ key: NO_POOL, label: '无适用名额', tier: null, rows: 3, selected: 0, quota: 0 }),
  ]

  it('groups the pools by tier in the vocabulary order, counting them, the rest last', () => {
    const groups = poolGroups(tabs)
    expect(groups.map((g) => g.label)).toEqual(['省直（1组）', '市级（1组）', '县级（2组）', '其他'])
    expect(groups[2].pools.map((p) => p.key)).toEqual(['county/广州市越秀区', 'county/广州市天河区'])
    expect(groups[3].pools.map((p) => p.key)).toEqual([NO_POOL])
  })

  it('leaves out tiers without pools', () => {
    expect(poolGroups(tabs.filter((t) => t.tier === 'county')).map((g) => g.key)).toEqual(['county'])
    expect(poolGroups([])).toEqual([])
  })

  it('shows each pool with its seats', () => {
    expect(poolCounts(tabs[2])).toBe('入选 3/名额 4')
    expect(poolCounts(tabs[4])).toBe('3家')
  })
})

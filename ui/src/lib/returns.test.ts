import { describe, expect, it } from 'vitest'
import {
  distinct,
  emptyFilter,
  emptyText,
  filterReturns,
  historyStateLabel,
  isFiltered,
  rectificationText,
  regionsFor,
  type ReturnItem,
} from './returns'

function item(over: Partial<ReturnItem>): ReturnItem {
  return {
    agency_id: 1,
    name: '广州市审计局',
    uscc: null,
    tier: 'city',
    region: '广州市',
    unit_type: '政府机关',
    daily: '90',
    components: [],
    vetoes: [],
    complaints: null,
    problems_total: null,
    problems_fixed: null,
    file_id: 1,
    file_name: '00_广州市.xlsx',
    imported_at: '',
    sheet: '申报',
    row: 4,
    status: 'selected',
    composite: '90',
    rank: 1,
    pool: 'city/广州市',
    ...over,
  }
}

const rows = [
  item({ agency_id: 1 }),
  item({ agency_id: 2, name: '广州市海珠区司法局', tier: 'county', region: '广州市海珠区', status: 'not_selected', file_name: '01_海珠.xlsx' }),
  item({ agency_id: 3, name: '广东省司法厅', tier: 'province', region: null, unit_type: '政法机关', status: 'ineligible', uscc: '11440000ABC' }),
  item({ agency_id: 4, name: '广州市越秀区司法局', tier: 'county', region: '广州市越秀区', status: 'tie_pending' }),
]

describe('return filters', () => {
  it('combines tier, region, unit type and status', () => {
    const ids = (f: Partial<ReturnType<typeof emptyFilter>>) =>
      filterReturns(rows, { ...emptyFilter(), ...f }).map((r) => r.agency_id)
    expect(ids({})).toEqual([1, 2, 3, 4])
    expect(ids({ tier: 'county' })).toEqual([2, 4])
    expect(ids({ tier: 'county', region: '广州市越秀区' })).toEqual([4])
    expect(ids({ unitType: '政法机关' })).toEqual([3])
    expect(ids({ status: 'not_selected' })).toEqual([2])
    expect(ids({ tier: 'province', status: 'selected' })).toEqual([])
  })

  it('searches name, code, region and file, ignoring case and spaces around', () => {
    const ids = (query: string) => filterReturns(rows, { ...emptyFilter(), query }).map((r) => r.agency_id)
    expect(ids('司法')).toEqual([2, 3, 4])
    expect(ids(' 11440000abc ')).toEqual([3])
    expect(ids('海珠')).toEqual([2])
    expect(ids('01_海珠.xlsx')).toEqual([2])
  })

  it('offers distinct values in Chinese order, regions narrowed by tier', () => {
    expect(distinct(rows, (r) => r.unit_type)).toEqual(['政法机关', '政府机关'])
    expect(regionsFor(rows, 'county')).toEqual(['广州市海珠区', '广州市越秀区'])
    expect(regionsFor(rows, '')).toEqual(['广州市', '广州市海珠区', '广州市越秀区'])
  })

  it('knows when it filters', () => {
    expect(isFiltered(emptyFilter())).toBe(false)
    expect(isFiltered({ ...emptyFilter(), query: ' x' })).toBe(true)
    expect(isFiltered({ ...emptyFilter(), query: '  ' })).toBe(false)
  })
})

describe('details', () => {
  it('labels history states and rectification rates', () => {
    expect(historyStateLabel('replaced')).toBe('已被替换')
    expect(rectificationText({ problems_total: 8, problems_fixed: 6 })).toBe('6/8（75%）')
    expect(rectificationText({ problems_total: 0, problems_fixed: 0 })).toBe('—')
    expect(rectificationText({ problems_total: null, problems_fixed: null })).toBe('—')
  })
})

describe('the empty table', () => {
  it('says the list is being read until it is loaded, never that the year has no returns', () => {
    expect(emptyText(false, 0)).toBe('正在读取申报数据…')
    expect(emptyText(true, 0)).toBe('本年度还没有申报数据')
    expect(emptyText(true, 12)).toBe('没有符合筛选条件的单位')
  })
})

import { describe, expect, it } from 'vitest'
import {
  agencyPath,
  compositeSeries,
  formerNamesLine,
  foundIn,
  hasComposite,
  ledgerKindLine,
  kindsFor,
  objectionAgencyId,
  optionalText,
  placeLine,
  score,
  searchLine,
  targetLabel,
  yearLine,
  type AccountabilityView,
  type AgencyHistory,
  type AgencyPage,
  type LedgerLine,
  type YearOutcome,
} from './agency'
import type { ObjectionView, RoundView } from '../bindings'

function year(y: number, over: Partial<YearOutcome> = {}): YearOutcome {
  return {
    year: y,
    campaign_status: 'published',
    name: '甲局',
    run_at: `${y}-11-27T10:00:00+08:00`,
    stale: false,
    note: null,
    daily: 95,
    annual: 95,
    composite: 95.1,
    rank: 1,
    status: 'selected',
    reasons: [],
    pool: 'county/测试区',
    components: [],
    ...over,
  }
}

function history(years: YearOutcome[], former: [string, number[]][] = []): AgencyHistory {
  return {
    agency: {
      id: 7,
      uscc: '114401039115856282',
      name: '甲新局',
      tier: 'county',
      region: '测试区',
      unit_type: '政府机关',
      former_names: former.map(([name, ys]) => ({ name, years: ys })),
    },
    years,
    awards: [],
    reviews: [],
    ledger: [],
    supervision: [],
    accountability: [],
  }
}

describe('the agency page', () => {
  it('draws the composite of every year shown, a gap where there is none', () => {
    const h = history([year(2023), year(2025, { composite: null, status: null, note: '本年度尚未运行评选' }), year(2026, { composite: 90 })])
    expect(compositeSeries(h)).toEqual({ years: ['2023年', '2025年', '2026年'], values: [95.1, null, 90] })
    expect(hasComposite(h)).toBe(true)
    expect(hasComposite(history([year(2025, { composite: null })]))).toBe(false)
    expect(agencyPath(7)).toBe('/agencies/7')
  })

  it('says each year in one line with the core’s labels', () => {
    expect(yearLine(year(2023))).toBe('综合得分 95.10 · 第1名 · 入选')
    expect(yearLine(year(2026, { rank: null, status: 'ineligible', composite: 90 }))).toBe('综合得分 90.00 · 不符合条件')
    expect(yearLine(year(2026, { status: null, note: '本年度尚未运行评选' }))).toBe('本年度尚未运行评选')
    expect(yearLine(year(2026, { composite: null, rank: null, status: 'ineligible' }))).toBe('综合得分 — · 不符合条件')
    expect(score(94.1)).toBe('94.10')
    expect(score(null)).toBe('—')
  })

  it('names where the agency stands and the names it used before', () => {
    expect(placeLine(history([]))).toBe('县级 · 测试区 · 政府机关')
    expect(formerNamesLine(history([]))).toBeNull()
    expect(formerNamesLine(history([], [['甲局', [2023]], ['甲分局', [2024, 2025]]]))).toBe('甲局（2023年）；甲分局（2024、2025年）')
  })
})

describe('登记督查 and 登记问责', () => {
  it('offers the kinds the core lists for each target', () => {
    expect(kindsFor('organisation').map((t) => t.label)).toEqual(['检查', '通报', '改组'])
    expect(kindsFor('person').map((t) => t.label)).toEqual(['通报', '诫勉', '组织调整', '组织处理', '纪律处分'])
  })

  it('takes a blank optional text as none', () => {
    expect(optionalText('  ')).toBeNull()
    expect(optionalText(null)).toBeNull()
    expect(optionalText(' 穗直工〔2026〕3号 ')).toBe('穗直工〔2026〕3号')
  })

  it('names whom an accountability record concerns', () => {
    const a = { person: null } as AccountabilityView
    expect(targetLabel(a)).toBe('单位（党组织）')
    expect(targetLabel({ ...a, person: '张三' })).toBe('张三')
  })
})

describe('单位查询 and links', () => {
  it('says how many were found and when not all are listed', () => {
    const hit = { id: 1, uscc: null, name: '甲局', tier: 'city' as const, region: '广州市', unit_type: '政府机关' }
    expect(searchLine({ hits: [], total: 0 })).toBe('没有找到单位')
    expect(searchLine({ hits: [hit], total: 1 })).toBe('共1家')
    expect(searchLine({ hits: [hit], total: 80 })).toBe('共80家，显示前1家；请输入更多文字缩小范围')
  })

  it('finds the page of the agency an objection concerns', () => {
    const rounds = [
      { agencies: [{ agency_id: 3, uscc: '114401039115856282', name: '甲局' }, { agency_id: 4, uscc: null, name: '乙局' }] },
    ] as RoundView[]
    const o = (uscc: string | null, name: string) => ({ uscc, name }) as ObjectionView
    expect(objectionAgencyId(o('114401039115856282', '改名后的甲局'), rounds)).toBe(3)
    expect(objectionAgencyId(o(null, '乙局'), rounds)).toBe(4)
    expect(objectionAgencyId(o(null, '丙局'), rounds)).toBeNull()
  })
})

function line(id: number, over: Partial<LedgerLine> = {}): LedgerLine {
  return {
    id,
    kind: 'problem',
    level: null,
    source: 'inspection',
    year: 2026,
    text: `问题${id}`,
    measures: null,
    owner: null,
    deadline: '2026-06-30',
    done_on: null,
    evidence: null,
    status: 'overdue',
    tone: 'danger',
    supervision: null,
    provenance: '手工录入（张三）',
    ...over,
  }
}

describe('the ledger on the agency page', () => {
  it('lists under a supervision record the items found in it, in the page order', () => {
    const page = { lines: [line(1, { supervision: 7 }), line(2), line(3, { supervision: 7 }), line(4, { supervision: 8 })] } as AgencyPage
    expect(foundIn(page, 7).map((l) => l.id)).toEqual([1, 3])
    expect(foundIn(page, 8).map((l) => l.id)).toEqual([4])
    expect(foundIn(page, 9)).toEqual([])
  })

  it('names the list with the source of a problem or the level of a responsibility', () => {
    expect(ledgerKindLine(line(1))).toBe('问题清单（督查）')
    expect(ledgerKindLine(line(1, { kind: 'responsibility', source: null, level: 'branch' }))).toBe('责任清单（党支部）')
    expect(ledgerKindLine(line(1, { kind: 'task', source: null }))).toBe('任务清单')
  })
})

import { describe, expect, it } from 'vitest'
import {
  errorPlace,
  filterUnits,
  importablePaths,
  judgeNames,
  judgeOf,
  judgeText,
  preselectComponent,
  scoreCounts,
  scoreOrReason,
  shortSha,
  turnoutText,
  type ComputedComponent,
  type EvaluationPreview,
  type UnitEvaluation,
} from './evaluations'

function component(key: string, source: 'ballots' | 'panel'): ComputedComponent {
  return {
    key,
    label: key,
    source,
    source_label: source === 'ballots' ? '测评票' : '评委打分',
    workbook: source === 'ballots' ? '测评汇总表' : '评委评分汇总表',
    computation: '',
    choices: [],
    not_counted_words: [],
    files: [],
    units: [],
  }
}

function unit(over: Partial<UnitEvaluation>): UnitEvaluation {
  return {
    agency_id: 1,
    name: '广州市民政局',
    uscc: null,
    counts: [],
    not_counted: 0,
    valid: 0,
    issued: null,
    returned: null,
    return_rate: null,
    judges: [],
    score: null,
    reason: null,
    explanation: null,
    ...over,
  }
}

function preview(path: string, state: EvaluationPreview['state'], valid: number): EvaluationPreview {
  return {
    path,
    file: path,
    component: 'public',
    sha256: '',
    state,
    duplicate: null,
    sheets: [],
    matched: [],
    rows: valid,
    valid,
    warnings: [],
    errors: [],
  }
}

describe('preselectComponent', () => {
  const both = [component('organisation', 'panel'), component('public', 'ballots')]
  it.each([
    [both, 'ballots', 'public'],
    [both, 'panel', 'organisation'],
    [both, null, null],
    [[component('public', 'ballots')], null, 'public'],
    [[component('a', 'ballots'), component('b', 'ballots')], 'ballots', null],
    [[], null, null],
  ] as const)('%#: of %j by %s → %s', (components, source, want) => {
    expect(preselectComponent(components, source)).toBe(want)
  })
})

describe('importablePaths', () => {
  const previews = [
    preview('ready', 'ready', 3),
    preview('bad', 'errors', 2),
    preview('all-bad', 'errors', 0),
    preview('dup', 'duplicate', 3),
    preview('gone', 'unreadable', 0),
  ]
  it('sends only the files that import whole, unless partial', () => {
    expect(importablePaths(previews, false)).toEqual(['ready'])
  })
  it('a partial import adds files with errors that have correct records', () => {
    expect(importablePaths(previews, true)).toEqual(['ready', 'bad'])
  })
})

describe('errorPlace', () => {
  it.each([
    [{ sheet: '计票', row: 5, column: 'C' }, '工作表“计票” 第5行 C列'],
    [{ sheet: '计票', row: 5, column: null }, '工作表“计票” 第5行'],
    [{ sheet: 'Sheet1', row: null, column: 'H' }, '工作表“Sheet1” H列'],
    [{ sheet: null, row: null, column: null }, '整个文件'],
  ])('%j → %s', (place, want) => {
    expect(errorPlace({ header: null, value: null, message: 'x', ...place })).toBe(want)
  })
})

describe('filterUnits', () => {
  const units = [
    unit({ agency_id: 1, name: '广州市民政局', score: '94.74', uscc: '11440100MB2C92345X' }),
    unit({ agency_id: 2, name: '广州市财政局', reason: '群众测评没有测评票' }),
    unit({ agency_id: 3, name: '海珠区民政局', score: '88.00' }),
  ]
  const names = (scored: '' | 'scored' | 'missing', q: string) => filterUnits(units, scored, q).map((u) => u.agency_id)
  it.each([
    ['', '', [1, 2, 3]],
    ['scored', '', [1, 3]],
    ['missing', '', [2]],
    ['', '民政', [1, 3]],
    ['scored', '财政', []],
    ['', ' 11440100mb ', [1]],
  ] as const)('%s + "%s" → %j', (scored, q, want) => {
    expect(names(scored, q)).toEqual(want)
  })
  it('counts scored and missing units', () => {
    expect(scoreCounts(units)).toEqual({ scored: 2, missing: 1 })
    expect(scoreCounts([])).toEqual({ scored: 0, missing: 0 })
  })
})

describe('cells', () => {
  it('words turnout with its rate, or a dash without a tally', () => {
    expect(turnoutText(unit({ issued: 50, returned: 46, return_rate: '92.00' }))).toBe('50 / 46（92.00%）')
    expect(turnoutText(unit({ issued: 0, returned: 0 }))).toBe('0 / 0')
    expect(turnoutText(unit({ issued: 50 }))).toBe('—')
  })
  it('shows a recusal as 回避 and a score as given', () => {
    expect(judgeText({ judge: '评委1', score: null, dropped: false })).toBe('回避')
    expect(judgeText({ judge: '评委1', score: '92.5', dropped: true })).toBe('92.5')
  })
  it('lists judges in first-seen order and finds a unit’s entry', () => {
    const a = unit({ judges: [{ judge: '评委1', score: '90', dropped: false }, { judge: '评委3', score: null, dropped: false }] })
    const b = unit({ judges: [{ judge: '评委2', score: '80', dropped: true }, { judge: '评委1', score: '70', dropped: false }] })
    expect(judgeNames([a, b])).toEqual(['评委1', '评委3', '评委2'])
    expect(judgeOf(b, '评委2')?.score).toBe('80')
    expect(judgeOf(a, '评委2')).toBeNull()
  })
  it('shows the score, else the reason, else a dash', () => {
    expect(scoreOrReason(unit({ score: '90.00', reason: 'x' }))).toBe('90.00')
    expect(scoreOrReason(unit({ reason: '群众测评没有测评票' }))).toBe('群众测评没有测评票')
    expect(scoreOrReason(unit({}))).toBe('—')
  })
  it('shortens a SHA-256', () => {
    expect(shortSha('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`)
    expect(shortSha('abc')).toBe('abc')
  })
})

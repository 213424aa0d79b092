import { describe, expect, it } from 'vitest'
import {
  anyPartial,
  blankInput,
  changeLine,
  cleanInput,
  daysText,
  doneErrorField,
  emptyFilters,
  fieldErrors,
  filtersFromRoute,
  needsKind,
  placeOf,
  problemsLink,
  problemsSummary,
  tagClass,
  toImport,
  toQuery,
  type LedgerPreview,
} from './ledger'

function preview(over: Partial<LedgerPreview>): LedgerPreview {
  return { path: '/a.xlsx', file: 'a.xlsx', state: 'ready', duplicate: null, sheets: [], rows: 3, valid: 3, warnings: [], errors: [], ...over }
}

describe('ledger filters', () => {
  it('start empty on the day given and become the core query', () => {
    const f = emptyFilters('2026-06-10')
    expect(toQuery(f)).toEqual({ date: '2026-06-10', agency: null, kind: null, status: null, deadline_from: null, deadline_by: null })
    expect(
      toQuery({ date: '', agency: ' 广州市人民检察院 ', kind: 'problem', status: 'overdue', deadline: ['2026-06-01', '2026-06-30'] }),
    ).toEqual({ date: null, agency: '广州市人民检察院', kind: 'problem', status: 'overdue', deadline_from: '2026-06-01', deadline_by: '2026-06-30' })
  })

  it.each([
    [{ kind: 'problem', status: 'overdue' }, 'problem', 'overdue'],
    [{ kind: 'task', status: 'due_soon' }, 'task', 'due_soon'],
    [{ kind: ['problem'], status: ['done'] }, 'problem', 'done'],
    [{ kind: 'x', status: 'late' }, '', ''],
    [{}, '', ''],
  ])('read a link %o', (query, kind, status) => {
    const f = filtersFromRoute(query, '2026-06-10')
    expect([f.kind, f.status, f.date]).toEqual([kind, status, '2026-06-10'])
  })

  it('link the dashboard to the problems of a status', () => {
    expect(problemsLink('overdue')).toBe('/ledger?kind=problem&status=overdue')
    expect(filtersFromRoute({ kind: 'problem', status: 'due_soon' }, 'd').status).toBe('due_soon')
  })
})

describe('a row', () => {
  it.each([
    [-9, null, '逾期9天'],
    [-1, null, '逾期1天'],
    [0, null, '今天到期'],
    [1, null, '剩1天'],
    [52, null, '剩52天'],
    [null, null, '—'],
    [-3, '2026-06-01', '—'],
  ])('days %s done %s → %s', (days_left, done_on, text) => {
    expect(daysText({ days_left, done_on })).toBe(text)
  })

  it('tags with the core tone', () => {
    expect(tagClass('danger')).toBe('el-tag el-tag--danger el-tag--small el-tag--light')
    expect(tagClass('info')).toContain('el-tag--info')
  })

  it('places an error', () => {
    expect(placeOf({ sheet: '问题清单', row: 3, column: 'B' })).toBe('工作表“问题清单”第3行B列')
    expect(placeOf({ sheet: '问题清单', row: null, column: null })).toBe('工作表“问题清单”')
    expect(placeOf({ sheet: null, row: null, column: null })).toBe('整个文件')
  })
})

describe('a check', () => {
  const ready = preview({ path: '/ready.xlsx' })
  const bad = preview({ path: '/bad.xlsx', state: 'errors', valid: 1, errors: [{ sheet: 's', row: 3, column: 'B', header: null, value: null, message: '没有名为…' }] })
  const allBad = preview({ path: '/all.xlsx', state: 'errors', valid: 0 })
  const dup = preview({ path: '/dup.xlsx', state: 'duplicate' })
  const kindless = preview({ path: '/k.xlsx', state: 'unreadable', valid: 0, errors: [{ sheet: null, row: null, column: null, header: null, value: null, message: '表中没有“清单类型”列，请在导入时指定清单类型' }] })

  it('sends the ready files, and in part the files with correct rows', () => {
    expect(toImport([ready, bad, allBad, dup, kindless], false)).toEqual(['/ready.xlsx'])
    expect(toImport([ready, bad, allBad, dup, kindless], true)).toEqual(['/ready.xlsx', '/bad.xlsx'])
    expect(anyPartial([ready, bad])).toBe(true)
    expect(anyPartial([ready, allBad, dup])).toBe(false)
  })

  it('says when a kind must be chosen', () => {
    expect(needsKind([ready, bad])).toBe(false)
    expect(needsKind([ready, kindless])).toBe(true)
  })
})

describe('新增事项', () => {
  it('sends blanks as none and only the kind’s level or source', () => {
    const i = { ...blankInput('task'), agency: '甲', text: '任务', deadline: '', measures: ' ', owner: '张三', level: 'branch' as const, source: 'audit' as const }
    expect(cleanInput(i)).toEqual({ ...i, deadline: null, measures: null, level: null, source: null })
    const p = { ...blankInput('problem'), source: 'audit' as const, level: 'branch' as const }
    expect([cleanInput(p).source, cleanInput(p).level]).toEqual(['audit', null])
    const r = { ...blankInput('responsibility'), source: 'audit' as const, level: 'branch' as const }
    expect([cleanInput(r).source, cleanInput(r).level]).toEqual([null, 'branch'])
  })

  it('shows a refusal at its field', () => {
    expect(fieldErrors(null)).toEqual({})
    expect(fieldErrors({ item: null, error: { field: 'deadline', message: '须填写整改时限', code: 'ledger.deadline_required' } })).toEqual({
      deadline: '须填写整改时限',
    })
  })
})

describe('标记完成', () => {
  it('shows a refusal of the date at 完成时间, any other at 完成情况', () => {
    for (const [code, field] of [
      ['ledger.done_in_future', 'date'],
      ['ledger.done_before_review', 'date'],
      ['ledger.already_done', 'evidence'],
      ['ledger.text', 'evidence'],
      ['error', 'evidence'],
    ] as const) {
      expect(doneErrorField(code), code).toBe(field)
    }
  })
})

describe('words', () => {
  it('summarise the dashboard counts', () => {
    expect(problemsSummary({ date: '2026-06-10', warn_days: 7, overdue: 2, due_soon: 1 })).toBe('截至2026-06-10：逾期问题2项，7天内到期1项')
    expect(problemsSummary({ date: '2026-06-10', warn_days: 7, overdue: 0, due_soon: 0 })).toBe('截至2026-06-10没有逾期或即将到期的问题')
  })

  it('say a change', () => {
    expect(changeLine({ label: '完成时间', before: '', after: '2026-06-20' })).toBe('完成时间：（空） → 2026-06-20')
  })
})

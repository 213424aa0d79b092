import { describe, expect, it } from 'vitest'
import type { FieldChoice, SheetPreview } from './imports'
import { IGNORE, hasMappingProblems, mappingProblems, mappingRows, problemMessages, setChoice } from './mapping'

const fields: FieldChoice[] = [
  { key: 'name', label: '单位名称', required: true },
  { key: 'tier', label: '层级', required: true },
  { key: 'public', label: '群众测评', required: true },
  { key: 'discipline', label: '发生严重违纪违法问题', required: false },
]

const sheets: SheetPreview[] = [
  {
    sheet: '申报',
    header_row: 3,
    header_rows: 1,
    columns: [
      { letter: 'A', header: '单位名称', field: 'name', label: '单位名称' },
      { letter: 'B', header: '层级', field: 'tier', label: '层级' },
      { letter: 'C', header: '民意调查', field: null, label: null },
      { letter: 'D', header: '机关名称', field: 'name', label: '单位名称' },
    ],
  },
]

describe('mapping editor', () => {
  it('shows each column with its detected field, unknown ones as not imported', () => {
    const rows = mappingRows(sheets, [])
    expect(rows.map((r) => [r.letter, r.field, r.manual])).toEqual([
      ['A', 'name', false],
      ['B', 'tier', false],
      ['C', IGNORE, false],
      ['D', 'name', false],
    ])
  })

  it('finds missing required fields and fields taken by two columns', () => {
    const problems = mappingProblems(mappingRows(sheets, []), fields)
    expect(problems.get('申报')).toEqual({
      missing: ['群众测评'],
      duplicates: [{ label: '单位名称', columns: ['A列“单位名称”', 'D列“机关名称”'] }],
    })
    expect(hasMappingProblems(problems)).toBe(true)
    expect(problemMessages(problems)).toEqual([
      '工作表“申报”缺少必需的列：群众测评',
      '工作表“申报”中 A列“单位名称”、D列“机关名称” 都对应“单位名称”，请只保留一列',
    ])
  })

  it('keeps only real changes as hand choices, and solving them clears the problems', () => {
    let choices = setChoice([], '民意调查', 'public', null)
    choices = setChoice(choices, '机关名称', IGNORE, 'name')
    expect(choices).toEqual([
      { header: '民意调查', field: 'public' },
      { header: '机关名称', field: null },
    ])
    const rows = mappingRows(sheets, choices)
    expect(rows.filter((r) => r.manual).map((r) => r.letter)).toEqual(['C', 'D'])
    expect(hasMappingProblems(mappingProblems(rows, fields))).toBe(false)
    // Choosing what was detected drops the hand choice again.
    expect(setChoice(choices, '机关名称', 'name', 'name')).toEqual([{ header: '民意调查', field: 'public' }])
    // A later choice for the same header replaces the earlier one.
    expect(setChoice(choices, '民意调查', 'discipline', null)).toEqual([
      { header: '机关名称', field: null },
      { header: '民意调查', field: 'discipline' },
    ])
  })
})

import { describe, expect, it } from 'vitest'
import {
  baseName,
  batchSummary,
  describeError,
  errorPlace,
  formatSize,
  mergePaths,
  previewLabel,
  previewState,
  progressPercent,
  reportSummary,
  reportTag,
  storedLabel,
  storedTag,
  willImport,
  type FilePreview,
  type FileReport,
  type RowError,
} from './imports'

function preview(over: Partial<FilePreview> = {}): FilePreview {
  return {
    path: '/tmp/甲.xlsx',
    file: '甲.xlsx',
    sha256: 'ab'.repeat(32),
    size: 2048,
    unreadable: false,
    duplicate: null,
    sheets: [],
    rows: 10,
    valid: 10,
    warnings: [],
    errors: [],
    ...over,
  }
}

const cellError: RowError = {
  sheet: '申报',
  row: 5,
  column: 'F',
  header: '群众测评',
  value: '120',
  message: '分数应在0–100之间',
}

function report(over: Partial<FileReport> = {}): FileReport {
  return {
    file: '甲.xlsx',
    sha256: '',
    status: 'imported',
    sheet: '申报',
    header_row: 3,
    rows: 10,
    imported: 10,
    warnings: [],
    errors: [],
    ...over,
  }
}

describe('preview state', () => {
  it('ranks unreadable, then duplicate, then errors', () => {
    expect(previewState(preview())).toBe('ready')
    expect(previewState(preview({ errors: [cellError] }))).toBe('errors')
    expect(previewState(preview({ errors: [cellError], duplicate: '已导入' }))).toBe('duplicate')
    expect(previewState(preview({ unreadable: true, errors: [cellError] }))).toBe('unreadable')
    expect(previewLabel('duplicate')).toBe('已导入过')
  })

  it('imports a file with errors only when partial and some rows are valid', () => {
    expect(willImport(preview(), false)).toBe(true)
    const bad = preview({ errors: [cellError], valid: 9 })
    expect(willImport(bad, false)).toBe(false)
    expect(willImport(bad, true)).toBe(true)
    expect(willImport(preview({ errors: [cellError], valid: 0 }), true)).toBe(false)
    expect(willImport(preview({ duplicate: 'x' }), true)).toBe(false)
    expect(willImport(preview({ unreadable: true }), true)).toBe(false)
  })
})

describe('error places', () => {
  it('reads like the core: sheet, row, column and header, value, problem', () => {
    expect(describeError(cellError)).toBe('工作表“申报”第5行 F列（群众测评） 值“120”：分数应在0–100之间')
    expect(errorPlace(cellError)).toBe('第5行 F列')
  })

  it('names a problem of the whole sheet or file', () => {
    const general: RowError = { sheet: null, row: null, column: null, header: null, value: null, message: '不是Excel工作簿' }
    expect(describeError(general)).toBe('不是Excel工作簿')
    expect(errorPlace(general)).toBe('整个文件')
    expect(errorPlace({ ...general, sheet: 'S' })).toBe('整个工作表')
  })
})

describe('file lists', () => {
  it('adds paths once, in order', () => {
    expect(mergePaths(['/a', '/b'], ['/b', '/c', '/c', '/d'])).toEqual(['/a', '/b', '/c', '/d'])
  })

  it('names files from either separator', () => {
    expect(baseName('/home/u/申报/甲.xlsx')).toBe('甲.xlsx')
    expect(baseName('C:\\申报\\乙.xls')).toBe('乙.xls')
  })

  it('shows sizes', () => {
    expect(formatSize(900)).toBe('900 字节')
    expect(formatSize(2048)).toBe('2.0 KB')
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB')
  })

  it('labels stored statuses', () => {
    expect(storedLabel('partial')).toBe('部分导入')
    expect(storedTag('withdrawn')).toBe('info')
    expect(storedLabel('odd')).toBe('odd')
    expect(storedTag('odd')).toBe('danger')
  })
})

describe('batch progress', () => {
  it('counts finished files and half of the running one', () => {
    expect(progressPercent(0, 4, false)).toBe(0)
    expect(progressPercent(0, 4, true)).toBe(13)
    expect(progressPercent(2, 4, false)).toBe(50)
    expect(progressPercent(4, 4, false)).toBe(100)
    expect(progressPercent(0, 0, true)).toBe(0)
  })

  it('sums up each file and the batch', () => {
    expect(reportSummary(report())).toBe('已导入 10 条')
    expect(reportSummary(report({ imported: 8, errors: [cellError, cellError] }))).toBe(
      '部分导入：导入 8 条，跳过 2 处错误',
    )
    expect(reportSummary(report({ status: 'rejected', imported: 0, errors: [cellError] }))).toBe('未导入：1 处错误')
    expect(reportSummary(report({ status: 'duplicate' }))).toMatch(/未做改动/)
    expect(reportTag(report({ status: 'rejected' }))).toBe('danger')
    expect(
      batchSummary({
        reports: [report(), report({ imported: 5 }), report({ status: 'rejected', imported: 0 }), report({ status: 'duplicate', imported: 0 })],
        cancelled: true,
        not_started: ['丙.xlsx'],
      }),
    ).toBe('导入 2 个文件，共 15 条申报；1 个文件有错误未导入；1 个文件重复未改动；已取消，1 个文件未导入')
  })
})

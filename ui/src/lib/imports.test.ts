import { describe, expect, it } from 'vitest'
import {
  baseName,
  batchSummary,
  describeError,
  errorPlace,
  formatSize,
  filterBatch,
  filterOptions,
  firstProblem,
  leftOutLine,
  leftOutMore,
  mergePaths,
  modeHint,
  pendingState,
  progressLine,
  progressPercent,
  reportSummary,
  reportTag,
  sortBatch,
  stateLabel,
  stateTag,
  storedLabel,
  storedTag,
  type BatchItem,
  type BatchView,
  type FilePreview,
  type FileReport,
  type LeftOut,
  type RowError,
} from './imports'

function preview(over: Partial<FilePreview> = {}): FilePreview {
  return {
    path: '/tmp/甲.xlsx',
    file: '甲.xlsx',
    sha256: 'ab'.repeat(32),
    size: 2048,
    unreadable: false,
    state: 'ready',
    first_problem: null,
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

function item(file: string, over: Partial<FilePreview> | null = {}, extra: Partial<BatchItem> = {}): BatchItem {
  return {
    path: `/tmp/${file}`,
    file,
    preview: over === null ? null : preview({ path: `/tmp/${file}`, file, ...over }),
    loading: false,
    error: null,
    ...extra,
  }
}

describe('batch states', () => {
  it('takes the core state of a checked file and says when one is being checked or failed', () => {
    expect(pendingState(item('甲.xlsx'))).toBe('ready')
    expect(pendingState(item('乙.xlsx', { state: 'errors', errors: [cellError] }))).toBe('errors')
    expect(pendingState(item('丙.xlsx', {}, { loading: true }))).toBe('checking')
    expect(pendingState(item('丁.xlsx', null))).toBe('checking')
    expect(pendingState(item('戊.xlsx', null, { error: '数据库出错' }))).toBe('failed')
  })

  it('labels states with the core words', () => {
    expect(stateLabel('ready')).toBe('可导入')
    expect(stateLabel('errors')).toBe('有错误')
    expect(stateLabel('duplicate')).toBe('已导入过')
    expect(stateLabel('unreadable')).toBe('无法读取')
    expect(stateLabel('checking')).toBe('检查中…')
    expect(stateTag('unreadable')).toBe('danger')
    expect(stateTag('ready')).toBe('success')
  })

  const batch = [
    item('b.xlsx', { state: 'errors', errors: [cellError, cellError] }),
    item('a.xlsx'),
    item('c.xls', { state: 'unreadable', unreadable: true, errors: [cellError] }),
    item('d.xlsx', { state: 'errors', errors: [cellError, cellError, cellError] }),
    item('e.xlsx', {}, { loading: true }),
    item('f.xlsx', { state: 'duplicate', duplicate: '已导入' }),
  ]

  it('filters to one state', () => {
    expect(filterBatch(batch, 'all').map((i) => i.file)).toEqual(['b.xlsx', 'a.xlsx', 'c.xls', 'd.xlsx', 'e.xlsx', 'f.xlsx'])
    expect(filterBatch(batch, 'errors').map((i) => i.file)).toEqual(['b.xlsx', 'd.xlsx'])
    expect(filterBatch(batch, 'ready').map((i) => i.file)).toEqual(['a.xlsx'])
    expect(filterBatch(batch, 'unreadable').map((i) => i.file)).toEqual(['c.xls'])
  })

  it('sorts by state in the core order, by name and by errors, ties in the order added', () => {
    expect(sortBatch(batch, 'added')).toEqual(batch)
    expect(sortBatch(batch, 'state').map((i) => i.file)).toEqual(['a.xlsx', 'b.xlsx', 'd.xlsx', 'f.xlsx', 'c.xls', 'e.xlsx'])
    expect(sortBatch(batch, 'file').map((i) => i.file)).toEqual(['a.xlsx', 'b.xlsx', 'c.xls', 'd.xlsx', 'e.xlsx', 'f.xlsx'])
    expect(sortBatch(batch, 'errors').map((i) => i.file)).toEqual(['d.xlsx', 'b.xlsx', 'c.xls', 'a.xlsx', 'e.xlsx', 'f.xlsx'])
    expect(batch[0].file).toBe('b.xlsx')
  })

  it('offers a filter for each state the core counted', () => {
    const view: BatchView = {
      counts: [
        { state: 'ready', count: 25 },
        { state: 'errors', count: 9 },
        { state: 'unreadable', count: 6 },
      ],
      checking: 0,
      summary: '25个可导入 · 9个有错误 · 6个无法读取',
      to_import: [],
      left_out: [],
    }
    expect(filterOptions(view, 40)).toEqual([
      { value: 'all', label: '全部 40' },
      { value: 'ready', label: '可导入 25' },
      { value: 'errors', label: '有错误 9' },
      { value: 'unreadable', label: '无法读取 6' },
    ])
    expect(filterOptions(null, 3)).toEqual([{ value: 'all', label: '全部 3' }])
  })

  it('shows the first problem inline, or why the check failed', () => {
    expect(firstProblem(item('a.xlsx'))).toBe('')
    expect(firstProblem(item('b.xlsx', { state: 'errors', errors: [cellError], first_problem: cellError }))).toBe(
      '工作表“申报”第5行 F列（群众测评） 值“120”：分数应在0–100之间',
    )
    expect(firstProblem(item('c.xlsx', null, { error: '本年度评选已发布' }))).toBe('本年度评选已发布')
  })
})

describe('import modes', () => {
  it('says what each mode does with a file with errors', () => {
    expect(modeHint(false)).toMatch(/^整个文件导入：有错误的文件一行也不导入/)
    expect(modeHint(true)).toMatch(/^只导入正确的行：.*有错误的行不导入.*确认/)
  })

  it('sums up what a partial import leaves out of a file', () => {
    const l: LeftOut = { path: '/tmp/乙.xlsx', file: '乙.xlsx', imported: 25, rows: 3, first: [cellError], more: 0 }
    expect(leftOutLine(l)).toBe('导入 25 行，不导入 3 行')
    expect(leftOutMore(l)).toBe('')
    expect(leftOutMore({ ...l, more: 7 })).toMatch(/^另有 7 处问题未列出/)
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
  it('counts finished files and the running one as far as its rows have come', () => {
    expect(progressPercent(0, 4, null)).toBe(0)
    expect(progressPercent(0, 1, 37)).toBe(37)
    expect(progressPercent(0, 1, 99)).toBe(99)
    expect(progressPercent(1, 4, 50)).toBe(37)
    expect(progressPercent(2, 4, null)).toBe(50)
    expect(progressPercent(4, 4, null)).toBe(100)
    expect(progressPercent(0, 0, 50)).toBe(0)
  })

  it('says how far the running file has come', () => {
    expect(progressLine('甲.xlsx', 1, 2, null)).toBe('正在导入《甲.xlsx》（1/2）：正在读取…')
    expect(progressLine('甲.xlsx', 1, 2, { rows: 1200, percent: 40 })).toBe('正在导入《甲.xlsx》（1/2）：已检查 1200 行（40%）')
    expect(progressLine('甲.xlsx', 1, 2, { rows: 1200, percent: null })).toBe('正在导入《甲.xlsx》（1/2）：已检查 1200 行')
    expect(progressLine('甲.xlsx', 2, 2, { rows: 3000, percent: 100 })).toBe('正在导入《甲.xlsx》（2/2）：已检查 3000 行，正在保存…')
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

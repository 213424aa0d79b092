// The whole year through the real window: create a campaign, import returns (the file
// dialog's answers are injected through $MOFAN_TEST_DIALOG_QUEUE, since native dialogs
// cannot be driven; everything else goes through the UI), …
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { By, Key, until } from 'selenium-webdriver'
import {
  byTestId,
  openApp,
  repoRoot,
  screenshot,
  startTauriDriver,
  stopTauriDriver,
  visible,
  waitFor,
} from './harness.mjs'
import { button, click, openScreen, queueDialog, tableRows, textOf, waitRows } from './ui.mjs'

const YEAR = '2026'
const samples = join(repoRoot, 'tests', 'fixtures', 'samples')
const SAMPLE_RETURNS = ['00_广州市.xlsx', '01_广州市海珠区.xlsx', '02_广州市番禺区.xls', '03_广州市越秀区.xlsx'].map(
  (f) => join(samples, f),
)
const BAD_FILE = join(repoRoot, 'tests', 'fixtures', 'returns', 'openpyxl_bad_rows.xlsx')

describe('the whole year in the window', { timeout: 600_000 }, () => {
  let tmp
  let queue
  let tauriDriver
  let driver

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'mofan-e2e-year-'))
    queue = join(tmp, 'dialogs')
    writeFileSync(queue, '')
    tauriDriver = await startTauriDriver({
      MOFAN_DB: join(tmp, 'mofan.db'),
      MOFAN_OPERATOR: '王科员',
      MOFAN_TEST_DIALOG_QUEUE: queue,
    })
    driver = await openApp()
    await visible(driver, byTestId('brand'), 30_000)
  })

  async function closeProgress() {
    await click(driver, await visible(driver, byTestId('import-close')))
    await driver.wait(until.elementIsNotVisible(await driver.findElement(byTestId('import-progress'))), 10_000)
  }

  after(async () => {
    try {
      if (driver) await driver.quit()
    } finally {
      await stopTauriDriver(tauriDriver)
      if (tmp) rmSync(tmp, { recursive: true, force: true })
    }
  })

  it('creates the campaign of the year', async () => {
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await input.click()
    await input.sendKeys(Key.chord(Key.CONTROL, 'a'))
    await input.sendKeys(Key.BACK_SPACE)
    await input.sendKeys(YEAR)
    await input.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('create-submit')))
    await waitRows(driver, 'campaign-table', (rows) => rows.some((r) => r[0] === YEAR), 'campaign listed')
    const select = await visible(driver, byTestId('campaign-select'))
    await waitFor(driver, async () => /2026年度模范机关评选/.test(await textOf(select)), 'current campaign shown')
  })

  it('shows where a bad file is wrong and writes the error workbook', async () => {
    await openScreen(driver, '数据导入', '/imports')
    await visible(driver, byTestId('drop-hint'))
    queueDialog(queue, [BAD_FILE])
    await click(driver, await visible(driver, byTestId('pick-files')))
    const rows = await waitRows(
      driver,
      'pending-table',
      (r) => r.length === 1 && r[0][1] === '有错误',
      'the bad file is checked',
    )
    assert.equal(rows[0][0], 'openpyxl_bad_rows.xlsx')
    assert.equal(rows[0][5], '10', `ten errors: ${rows[0]}`)
    const importButton = await visible(driver, byTestId('import-start'))
    assert.equal(await importButton.isEnabled(), false, 'a file with errors is not imported by default')

    await click(driver, await button(driver, '详情', '[data-testid="pending-table"]'))
    const errors = await waitRows(driver, 'preview-errors', (r) => r.length === 10, 'errors listed')
    assert.deepEqual(errors[0], ['申报', '第3行 G列', '自评', '优秀', '不是有效的分数'])
    assert.ok(
      errors.some((r) => r[1] === '第6行 C列' && /无法识别的层级/.test(r[4])),
      JSON.stringify(errors),
    )
    await screenshot(driver, 'imports-errors')
    await driver.actions().sendKeys(Key.ESCAPE).perform()
    await driver.wait(until.elementIsNotVisible(await driver.findElement(byTestId('preview-drawer'))), 10_000)

    const book = join(tmp, '错误报告.xlsx')
    queueDialog(queue, [book])
    await click(driver, await visible(driver, byTestId('error-book')))
    await waitFor(driver, async () => existsSync(book) && statSync(book).size > 1000, 'error workbook written')

    await click(driver, await button(driver, '移除', '[data-testid="pending-table"]'))
    await visible(driver, byTestId('drop-hint'))
  })

  it('imports the sample returns with progress and lists the files', async () => {
    queueDialog(queue, SAMPLE_RETURNS)
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(
      driver,
      'pending-table',
      (r) => r.length === 4 && r.every((c) => c[1] === '可以导入'),
      'four sample returns checked',
      60_000,
    )
    await screenshot(driver, 'imports-pending')
    await click(driver, await visible(driver, byTestId('import-start')))
    const summary = await visible(driver, byTestId('import-summary'), 120_000)
    assert.match(await textOf(summary), /^导入 4 个文件，共 \d+ 条申报$/)
    const results = await tableRows(driver, 'import-results')
    assert.equal(results.length, 4)
    await screenshot(driver, 'imports-done')
    await closeProgress()

    const files = await waitRows(driver, 'imported-files', (r) => r.length === 4, 'four files listed')
    assert.deepEqual(
      files.map((r) => [r[1], r[3], r[4]]),
      SAMPLE_RETURNS.map((p) => [p.split('/').pop(), '王科员', '已导入']),
    )
    await visible(driver, byTestId('drop-hint'))
  })

  it('withdraws a file and imports it again', async () => {
    const [last] = (await tableRows(driver, 'imported-files')).slice(-1)
    const withdraw = await driver.findElements(
      By.xpath('//*[@data-testid="imported-files"]//tr[last()]//button[normalize-space()="撤回"]'),
    )
    await click(driver, withdraw[0])
    await click(driver, await button(driver, '撤回', '.el-message-box'))

    await waitRows(driver, 'imported-files', (r) => r.at(-1)?.[4] === '已撤回', 'withdrawn')
    queueDialog(queue, [SAMPLE_RETURNS[3]])
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(driver, 'pending-table', (r) => r.length === 1 && r[0][1] === '可以导入', 'checked again')
    await click(driver, await visible(driver, byTestId('import-start')))
    await visible(driver, byTestId('import-summary'), 60_000)
    await closeProgress()
    const files = await waitRows(driver, 'imported-files', (r) => r.length === 5, 'five files listed')
    assert.equal(files[4][1], last[1])
    assert.equal(files[4][4], '已导入')
    await screenshot(driver, 'imports')
  })
})

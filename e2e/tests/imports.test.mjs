// A batch a clerk understands (issue 11 §5–§7): good, bad and unreadable files checked
// together; the core's summary line, the filter and sort by state, each file's first
// problem in its row; a partial import (by Ctrl+Enter, then by the button) confirmed
// first with what it leaves out, cancelled, then confirmed; the progress of a large file
// advancing with its rows.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, hidden, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { chooseOption, click, openScreen, queueDialog, tableRows, textOf, waitRows } from './ui.mjs'
import { writeXlsx } from './xlsx.mjs'

const fixtures = join(repoRoot, 'tests', 'fixtures')
const GOOD = [join(fixtures, 'samples', '00_广州市.xlsx'), join(fixtures, 'samples', '01_广州市海珠区.xlsx')]
const BAD = join(fixtures, 'returns', 'openpyxl_bad_rows.xlsx')
// Files offices send that are not returns at all: a PDF and a Word document named .xls.
const PDF = join(fixtures, 'formats', 'refuse_pdf.xls')
const WORD = join(fixtures, 'formats', 'refuse_word.xls')
const LARGE_ROWS = 10_000

function largeWorkbook(path) {
  const rows = [['单位名称', '层级', '所属地区', '单位类型', '日常考核', '个人自评', '党员互评', '组织考评', '群众测评', '第三方评价']]
  for (let i = 0; i < LARGE_ROWS; i++) {
    const region = `测试市第${(i % 20) + 1}区`
    rows.push([`${region}第${i + 1}号机关`, '县级', region, '政府机关', ...[0, 1, 2, 3, 4, 5].map((k) => 75 + ((i * 31 + k * 17) % 2400) / 100)])
  }
  writeXlsx(path, '申报', rows)
}

const ctrlEnter = (driver) => driver.actions().keyDown(Key.CONTROL).sendKeys(Key.ENTER).keyUp(Key.CONTROL).perform()

describe('a batch import a clerk understands', { timeout: 600_000 }, () => {
  let tmp
  let queue
  let win
  let driver
  let large

  before(async () => {
    win = await openWindow('imports', {
      prepare: ({ tmp }) => {
        large = join(tmp, '大批申报.xlsx')
        largeWorkbook(large)
      },
    })
    ;({ tmp, queue, driver } = win)
  })

  after(() => closeWindow(win))

  const summary = async () => textOf(await visible(driver, byTestId('batch-summary')))
  const stateFilter = async (label) =>
    click(
      driver,
      await visible(driver, By.xpath(`//*[@data-testid="state-filter"]//label[starts-with(normalize-space(), "${label}")]`)),
    )

  it('counts the batch, names each file’s first problem, filters and sorts by state', async () => {
    await openScreen(driver, '评选年度', '/campaigns')
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await input.click()
    await input.sendKeys(Key.chord(Key.CONTROL, 'a'))
    await input.sendKeys(Key.BACK_SPACE)
    await input.sendKeys('2026')
    await input.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('create-submit')))
    const select = await visible(driver, byTestId('campaign-select'))
    await waitFor(driver, async () => /2026年度/.test(await textOf(select)), 'the new year is current')

    await openScreen(driver, '数据导入', '/imports')
    await waitFor(driver, async () => (await visible(driver, byTestId('pick-files'))).isEnabled(), 'the new year is current')
    assert.match(await textOf(await visible(driver, byTestId('import-mode'))), /^整个文件导入：有错误的文件一行也不导入/)
    queueDialog(queue, [GOOD[0], BAD, PDF, GOOD[1], WORD])
    await click(driver, await visible(driver, byTestId('pick-files')))
    const rows = await waitRows(
      driver,
      'pending-table',
      (r) => r.length === 5 && r.every((c) => !c[1].startsWith('检查中')),
      'five files checked',
      60_000,
    )
    await waitFor(driver, async () => (await summary()) === '2个可导入 · 1个有错误 · 2个无法读取', 'the core’s summary line')
    assert.deepEqual(
      rows.map((r) => [r[0], r[1]]),
      [
        ['00_广州市.xlsx', '可导入'],
        ['openpyxl_bad_rows.xlsx', '有错误'],
        ['refuse_pdf.xls', '无法读取'],
        ['01_广州市海珠区.xlsx', '可导入'],
        ['refuse_word.xls', '无法读取'],
      ],
    )
    // The first problem of each file, in its row, without opening 详情.
    assert.equal(rows[0][2], '—')
    assert.equal(rows[1][2], '工作表“申报”第3行 G列（自评） 值“优秀”：不是有效的分数')
    assert.match(rows[2][2], /PDF/)
    assert.match(rows[4][2], /Word/)
    const start = await visible(driver, byTestId('import-start'))
    assert.match(await textOf(start), /^导入 2 个文件/)
    await driver.sleep(500)
    await screenshot(driver, 'imports-batch')
    const rect = await driver.manage().window().getRect()
    await driver.manage().window().setRect({ width: 1024, height: 768 })
    await driver.sleep(800)
    await screenshot(driver, 'imports-batch-1024')
    await driver.manage().window().setRect({ width: rect.width, height: rect.height })
    await driver.sleep(500)

    await stateFilter('有错误')
    await waitRows(driver, 'pending-table', (r) => r.length === 1 && r[0][0] === 'openpyxl_bad_rows.xlsx', 'only the file with errors')
    await driver.sleep(500)
    await screenshot(driver, 'imports-batch-filter')
    await stateFilter('无法读取')
    await waitRows(driver, 'pending-table', (r) => r.length === 2 && r.every((c) => c[1] === '无法读取'), 'the unreadable files')
    await stateFilter('全部')
    await chooseOption(driver, 'batch-sort', '按检查结果')
    await waitRows(
      driver,
      'pending-table',
      (r) => r.map((c) => c[1]).join(' ') === '可导入 可导入 有错误 无法读取 无法读取',
      'sorted by state in the core’s order',
    )
    await chooseOption(driver, 'batch-sort', '按加入顺序')
  })

  it('confirms what a partial import leaves out: cancelled, then confirmed', async () => {
    await click(driver, await visible(driver, byTestId('partial')))
    assert.match(await textOf(await visible(driver, byTestId('import-mode'))), /^只导入正确的行：/)
    const start = await visible(driver, byTestId('import-start'))
    await waitFor(driver, async () => /^导入 3 个文件/.test(await textOf(start)), 'the file with errors is sent too')

    // Ctrl+Enter asks first, as the button does.
    await ctrlEnter(driver)
    const dialog = await visible(driver, byTestId('partial-confirm'))
    const files = await driver.findElements(byTestId('left-out-file'))
    assert.equal(files.length, 1)
    const text = await textOf(files[0])
    assert.match(text, /《openpyxl_bad_rows\.xlsx》/)
    assert.match(text, /导入 \d+ 行，不导入 \d+ 行/)
    const listed = await driver.findElements(byTestId('left-out-row'))
    assert.equal(listed.length, 5, 'the first rows left out are listed')
    assert.equal(await textOf(listed[0]), '工作表“申报”第3行 G列（自评） 值“优秀”：不是有效的分数')
    assert.match(await textOf(dialog), /另有 2 个文件没有错误，整个导入/)
    await driver.sleep(400)
    await screenshot(driver, 'imports-partial-confirm')
    await click(driver, await visible(driver, byTestId('partial-cancel')))
    await hidden(driver, dialog)
    await driver.sleep(500)
    const progress = await driver.findElements(byTestId('import-progress'))
    for (const p of progress) assert.equal(await p.isDisplayed(), false, 'cancelled: nothing imported')
    assert.equal((await tableRows(driver, 'imported-files')).length, 0)

    // A large file joins the batch; its progress advances with its rows.
    queueDialog(queue, [large])
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitFor(driver, async () => (await summary()) === '3个可导入 · 1个有错误 · 2个无法读取', 'the large file is checked', 120_000)
    await click(driver, start)
    await visible(driver, byTestId('partial-confirm'))
    // Every text the progress line shows is recorded as the page draws it: a release build
    // reads the 10,000 rows in well under a second, faster than polling over WebDriver can
    // be sure to catch a state in between.
    await driver.executeScript(`
      window.__importNow = []
      const record = () => {
        const el = document.querySelector('[data-testid="import-now"]')
        const t = el?.innerText?.trim()
        if (t && window.__importNow.at(-1) !== t) window.__importNow.push(t)
      }
      window.__importObserver?.disconnect()
      window.__importObserver = new MutationObserver(record)
      window.__importObserver.observe(document.body, { subtree: true, childList: true, characterData: true })
    `)
    await click(driver, await visible(driver, byTestId('partial-ok')))
    const now = await waitFor(
      driver,
      async () => {
        const seen = await driver.executeScript('return window.__importNow')
        return seen.find((t) => /《大批申报\.xlsx》.*已检查 \d+ 行（\d+%）/.test(t))
      },
      'the large file’s rows counted as they are read',
      180_000,
    )
    await screenshot(driver, 'imports-progress')
    const percent = Number(/（(\d+)%）/.exec(now)[1])
    assert.ok(percent < 100, now)
    const done = await visible(driver, byTestId('import-summary'), 300_000)
    await driver.executeScript('window.__importObserver?.disconnect()')
    assert.match(await textOf(done), /^导入 4 个文件，共 \d+ 条申报$/)
    await driver.sleep(500)
    await screenshot(driver, 'imports-partial-done')
    await click(driver, await visible(driver, byTestId('import-close')))
    await hidden(driver, byTestId('import-progress'))

    const imported = await waitRows(driver, 'imported-files', (r) => r.length === 4, 'four files imported')
    assert.deepEqual(
      imported.map((r) => [r[1], r[4]]),
      [
        ['00_广州市.xlsx', '已导入'],
        ['openpyxl_bad_rows.xlsx', '部分导入'],
        ['01_广州市海珠区.xlsx', '已导入'],
        ['大批申报.xlsx', '已导入'],
      ],
    )
    // The unreadable files stay, so that they can be read or sent back.
    await waitFor(driver, async () => (await summary()) === '2个无法读取', 'only the unreadable files are left')
  })

  it('lists the returns once they are read', async () => {
    await openScreen(driver, '参评单位', '/returns')
    await waitFor(
      driver,
      async () => /^共 \d{4,} 条/.test(await textOf(await driver.findElement(byTestId('returns-count')))),
      'the returns listed',
      60_000,
    )
  })
})

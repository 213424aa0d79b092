// 复查管理 after applying (issue 11 §3): the review applied this year is shown from the store
// — also after leaving the screen — with 应用复查结果 disabled and the reason beside it; a
// what-if after it cannot be applied; the exported workbook carries the applied 复查名单,
// 整改名单 and 撤销名单; the dashboard's 复查 step says it was applied.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, hidden, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { button, click, openScreen, queueDialog, tableRows, textOf, waitRows } from './ui.mjs'
import { readXlsx } from './xlsx.mjs'

const YEAR = '2026'
const samples = join(repoRoot, 'tests', 'fixtures', 'samples')
const RETURNS = ['00_广州市.xlsx', '01_广州市海珠区.xlsx', '02_广州市番禺区.xls', '03_广州市越秀区.xlsx'].map((f) =>
  join(samples, f),
)
const AWARDS = join(samples, 'awards.xlsx')
const APPLIED = /^已于 \d{4}-\d{2}-\d{2} 应用复查结果（王科员）/

/** The names of a review sheet's rows below its header row ("单位名称" in column A). */
function namesIn(rows) {
  const header = rows.findIndex((r) => r[0] === '单位名称')
  assert.ok(header >= 0, 'the sheet has its header row')
  return rows.slice(header + 1).map((r) => r[0]).filter(Boolean)
}

describe('复查管理: the applied review', { timeout: 600_000 }, () => {
  let tmp
  let queue
  let win
  let driver
  /** The lists as the review run showed them before applying: names per list. */
  const before_ = {}

  before(async () => {
    win = await openWindow('reviews')
    ;({ tmp, queue, driver } = win)
  })

  after(() => closeWindow(win))

  async function summary() {
    return textOf(await visible(driver, byTestId('review-summary')))
  }

  /** Shows one of the three lists and returns its rows once `predicate` holds. */
  async function list(label, predicate = () => true) {
    const radio = await driver.findElement(
      By.xpath(`//*[@data-testid="review-lists"]//*[contains(normalize-space(), "${label}")]`),
    )
    await click(driver, radio)
    // A list switch redraws the table; wait for rows matching what the radio counts.
    const count = Number(/（(\d+)）/.exec(await textOf(radio))[1])
    return waitRows(driver, 'review-table', (r) => (count === 0 || r.length === count) && predicate(r), `the ${label}`)
  }

  async function applyButton() {
    return visible(driver, byTestId('apply-review'))
  }

  it('creates the campaign and imports the sample returns and the registry', async () => {
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await input.click()
    await input.sendKeys(Key.chord(Key.CONTROL, 'a'))
    await input.sendKeys(Key.BACK_SPACE)
    await input.sendKeys(YEAR)
    await input.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('create-submit')))
    const select = await visible(driver, byTestId('campaign-select'))
    await waitFor(driver, async () => /2026年度模范机关评选/.test(await textOf(select)), 'the campaign is current')

    await openScreen(driver, '数据导入', '/imports')
    queueDialog(queue, RETURNS)
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(driver, 'pending-table', (r) => r.length === 4 && r.every((c) => c[1] === '可导入'), 'four returns checked', 60_000)
    await click(driver, await visible(driver, byTestId('import-start')))
    await visible(driver, byTestId('import-summary'), 120_000)
    await click(driver, await visible(driver, byTestId('import-close')))
    await hidden(driver, byTestId('import-progress'))
    await waitRows(driver, 'imported-files', (r) => r.length === 4, 'four files listed')

    await openScreen(driver, '复查管理', '/reviews')
    queueDialog(queue, [AWARDS])
    await click(driver, await visible(driver, byTestId('import-registry')))
    const report = await visible(driver, byTestId('registry-report'), 30_000)
    assert.match(await textOf(report), /《awards\.xlsx》已导入 16 条/)
  })

  it('runs the review and applies it once; the screen then shows what was applied', async () => {
    const date = await visible(driver, By.css('[data-testid="review-date"] input'))
    await date.click()
    await date.sendKeys(Key.chord(Key.CONTROL, 'a'))
    await date.sendKeys(Key.BACK_SPACE)
    await date.sendKeys('2026-12-01', Key.ENTER)
    await click(driver, await visible(driver, byTestId('run-review')))
    await waitFor(driver, async () => /^2026-12-01：复查\d+家/.test(await summary()), 'the review on 2026-12-01')
    assert.match(await summary(), /尚未应用/)
    const run = await summary()
    before_.all = (await list('复查名单')).map((r) => r[0])
    before_.rectify = (await list('整改名单')).map((r) => r[0])
    before_.revoke = (await list('撤销名单')).map((r) => r[0])
    assert.ok(before_.rectify.length > 0 && before_.revoke.length > 0, JSON.stringify(before_))
    assert.equal(await (await applyButton()).isEnabled(), true)

    await click(driver, await applyButton())
    const box = await visible(driver, By.css('.el-message-box'))
    assert.match(await textOf(box), /每个年度只能应用一次/)
    await click(driver, await button(driver, '应用', '.el-message-box'))
    await waitFor(driver, async () => APPLIED.test(await summary()), 'the applied review is shown')

    // The same counts and lists as before applying — not the review run again ("复查1家").
    const shown = await summary()
    const counts = /复查\d+家：保留称号\d+家，限期整改\d+家，撤销称号\d+家/
    assert.equal(counts.exec(shown)[0], counts.exec(run)[0])
    assert.match(shown, /复查日期 2026-12-01/)
    assert.equal(await (await visible(driver, byTestId('review-summary'))).getAttribute('data-mode'), 'applied')
    assert.deepEqual((await list('复查名单')).map((r) => r[0]), before_.all)
    const rectifying = await list('整改名单')
    assert.deepEqual(rectifying.map((r) => r[0]), before_.rectify)
    assert.ok(rectifying.every((r) => r[8] === '2027-06-01'), JSON.stringify(rectifying.map((r) => r[8])))
    assert.deepEqual((await list('撤销名单')).map((r) => r[0]), before_.revoke)

    // Applying again is not offered, and the screen says why.
    assert.equal(await (await applyButton()).isEnabled(), false)
    assert.equal(await textOf(await visible(driver, byTestId('apply-blocked'))), '本年度已应用，不能再次应用')
    await list('整改名单')
    await driver.sleep(300)
    await screenshot(driver, 'reviews-applied')
  })

  it('shows the applied review from the store after leaving the screen, and on the dashboard', async () => {
    await openScreen(driver, '工作台', '/dashboard')
    const steps = await visible(driver, byTestId('steps'))
    const n = before_.all.length
    await waitFor(
      driver,
      async () => new RegExp(`已于\\d{4}-\\d{2}-\\d{2}应用复查结果（复查${n}家）`).test(await textOf(steps)),
      'the review step says it was applied',
    )
    await openScreen(driver, '复查管理', '/reviews')
    await waitFor(driver, async () => APPLIED.test(await summary()), 'the applied review, read from the store')
    assert.deepEqual((await list('撤销名单')).map((r) => r[0]), before_.revoke)
    assert.equal(await (await applyButton()).isEnabled(), false)
  })

  it('previews a review on another date without offering to apply it', async () => {
    const run = await visible(driver, byTestId('run-review'))
    assert.match(await textOf(run), /^预览复查/)
    const date = await visible(driver, By.css('[data-testid="review-date"] input'))
    await date.click()
    await date.sendKeys(Key.chord(Key.CONTROL, 'a'))
    await date.sendKeys(Key.BACK_SPACE)
    await date.sendKeys('2026-12-20', Key.ENTER)
    await click(driver, run)
    await waitFor(driver, async () => /^预览 2026-12-20：/.test(await summary()), 'a what-if')
    assert.match(await summary(), /此预览按当前数据重新计算，不会应用/)
    assert.equal(await (await applyButton()).isEnabled(), false)
    await click(driver, await visible(driver, byTestId('show-applied')))
    await waitFor(driver, async () => APPLIED.test(await summary()), 'back to the applied review')
  })

  it('exports the applied 整改名单 and 撤销名单', async () => {
    const out = join(tmp, '复查名单.xlsx')
    queueDialog(queue, [out])
    await click(driver, await visible(driver, byTestId('export-review')))
    await waitFor(driver, async () => existsSync(out) && statSync(out).size > 5000, 'the workbook is written', 30_000)
    const book = readXlsx(out)
    assert.deepEqual(Object.keys(book).slice(-3), ['复查名单', '整改名单', '撤销名单'])
    assert.match(book['复查名单'][0][0], /^2026年12月01日复查，\d{4}年\d{2}月\d{2}日已应用到命名记录（操作人：王科员）$/)
    assert.deepEqual(namesIn(book['复查名单']), before_.all)
    assert.deepEqual(namesIn(book['整改名单']), before_.rectify)
    assert.deepEqual(namesIn(book['撤销名单']), before_.revoke)
    const rect = book['整改名单']
    const header = rect.findIndex((r) => r[0] === '单位名称')
    const deadline = rect[header].indexOf('整改期限')
    assert.ok(rect.slice(header + 1).every((r) => r[deadline] === '2027-06-01'))

    // At the smallest window the applied state still fits.
    await driver.manage().window().setRect({ width: 1024, height: 768 })
    await driver.sleep(500)
    await screenshot(driver, 'reviews-applied-1024')
    const rows = await tableRows(driver, 'review-table')
    assert.ok(rows.length > 0)
  })
})

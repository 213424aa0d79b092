// 单位历年情况 and 监督问责 through the real window: two campaigns prepared with the command
// line — the sample registry; 2025 with the sample returns, selected, publicised and
// published; 2026 with the same returns, selected, its review of 1 December applied and
// selected again — then an agency opened from 评选结果 (both years, the chart), a
// supervision and an accountability registered on its page and listed there, 评选结果 saying
// the data changed (问责记录), 单位查询 finding the agency and opening it by keyboard, and
// 导出历年情况 there (the campaigns' range offered, a reversed range refused, the workbook).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, mofan, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { click, openScreen, queueDialog, typeInto, waitRows } from './ui.mjs'
import { readXlsx } from './xlsx.mjs'

const samples = join(repoRoot, 'tests', 'fixtures', 'samples')
const RETURNS = ['00_广州市.xlsx', '01_广州市海珠区.xlsx', '02_广州市番禺区.xls', '03_广州市越秀区.xlsx'].map((f) =>
  join(samples, f),
)
/** A city unit the sample returns select in 2025: in 2026 it holds that title. */
const AGENCY = '广州市应急管理局'

describe('单位历年情况 in the window', { timeout: 600_000 }, () => {
  let tmp
  let queue
  let win
  let driver

  before(async () => {
    win = await openWindow('agency', {
      prepare: ({ db }) => {
        mofan(db, 'awards', 'import', join(samples, 'awards.xlsx'))
        mofan(db, 'campaign', 'create', '--year', '2025')
        mofan(db, 'import', '--campaign', '2025', ...RETURNS)
        mofan(db, 'select', '--campaign', '2025')
        mofan(db, 'publicity', 'start', '--campaign', '2025', '--from', '2025-11-03')
        mofan(db, 'publish', '--campaign', '2025', '--doc-number', '穗直工〔2025〕5号', '--date', '2025-11-20')
        mofan(db, 'campaign', 'create', '--year', '2026')
        mofan(db, 'import', '--campaign', '2026', ...RETURNS)
        mofan(db, 'select', '--campaign', '2026')
        mofan(db, 'review', '--campaign', '2026', '--date', '2026-12-01', '--apply')
        mofan(db, 'select', '--campaign', '2026')
      },
      size: [1600, 1000],
    })
    ;({ tmp, queue, driver } = win)
  })

  after(() => closeWindow(win))

  /** The text of the element with this test id, read in one script. */
  async function textAt(testId) {
    return String(
      await driver.executeScript(
        'return document.querySelector(`[data-testid="${arguments[0]}"]`)?.innerText?.trim() ?? ""',
        testId,
      ),
    )
  }

  async function waitText(testId, pattern, timeout = 15_000) {
    return waitFor(
      driver,
      async () => {
        const text = await textAt(testId)
        return pattern.test(text) && text
      },
      `${testId} ~ ${pattern}`,
      timeout,
    )
  }

  /** Waits until the dialog with this test id is closed (hidden or gone). */
  async function closed(testId) {
    await waitFor(
      driver,
      async () =>
        driver.executeScript(
          `const el = document.querySelector('[data-testid="' + arguments[0] + '"]');
           return !el || el.offsetParent === null || getComputedStyle(el).display === 'none';`,
          testId,
        ),
      `${testId} closed`,
      10_000,
    )
    await driver.sleep(400)
  }

  async function setDate(testId, day) {
    const input = await visible(driver, By.css(`input[data-testid="${testId}"], [data-testid="${testId}"] input`))
    await typeInto(input, day)
    await input.sendKeys(Key.ENTER)
    await driver.sleep(300)
  }

  /** The rows of a plain Element Plus table, as cell texts. */
  async function rowsOf(testId) {
    return driver.executeScript(
      `return [...document.querySelectorAll('[data-testid="' + arguments[0] + '"] .el-table__body tr')]
         .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))`,
      testId,
    )
  }

  async function waitTableRows(testId, predicate, message) {
    return waitFor(driver, async () => {
      const rows = await rowsOf(testId)
      return predicate(rows) && rows
    }, message, 15_000)
  }

  it('opens an agency from 评选结果 and shows both years and the chart', async () => {
    await openScreen(driver, '评选结果', '/results')
    await visible(driver, byTestId('result-counts'), 60_000)
    const search = await visible(driver, By.css('input[data-testid="result-search"]'))
    await typeInto(search, AGENCY)
    const link = await visible(driver, By.xpath(`//*[@data-testid="results-table"]//a[@data-testid="agency-link" and normalize-space()="${AGENCY}"]`))
    await click(driver, link)
    await waitFor(driver, async () => /#\/agencies\/\d+$/.test(await driver.getCurrentUrl()), 'the agency page')
    const years = await waitTableRows('agency-years', (r) => r.length === 2, 'two years')
    assert.match(years[0][0], /2025年\s*已发布/)
    assert.equal(years[0][4], '入选')
    assert.match(years[1][0], /^2026年/)
    assert.equal(years[1][4], '不符合条件')
    assert.match(years[1][5], /已于2025年命名，纳入复查/)
    await visible(driver, By.css('[data-testid="agency-chart"] canvas'))
    const awards = await waitTableRows('agency-awards', (r) => r.length === 1, 'the 2025 award')
    assert.match(awards[0][0], /2025年/)
    assert.match(awards[0][1], /穗直工〔2025〕5号/)
    await driver.sleep(500)
    await screenshot(driver, 'agency-page')
  })

  it('registers a supervision and lists it on the page', async () => {
    await click(driver, await visible(driver, byTestId('supervision-add')))
    await visible(driver, byTestId('supervision-dialog'))
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="supervision-kind"]//*[normalize-space()="当面约谈"]')))
    await setDate('supervision-date', '2026-05-20')
    await (await visible(driver, By.css('input[data-testid="supervision-subject"]'))).sendKeys('约谈主要负责人')
    await (await visible(driver, By.css('input[data-testid="supervision-people"]'))).sendKeys('王五、赵六')
    await driver.sleep(300)
    await screenshot(driver, 'agency-supervision-dialog')
    await click(driver, await visible(driver, byTestId('supervision-save')))
    await closed('supervision-dialog')
    const rows = await waitTableRows('agency-supervision', (r) => r.length === 1 && r[0].length > 1, 'the supervision listed')
    assert.deepEqual(rows[0].slice(0, 3), ['2026-05-20', '当面约谈', '约谈主要负责人'])
  })

  it('refuses a cadre’s kind without the person, then registers the organisation’s 通报', async () => {
    await click(driver, await visible(driver, byTestId('accountability-add')))
    await visible(driver, byTestId('accountability-dialog'))
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="accountability-target"]//*[normalize-space()="领导干部"]')))
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="accountability-kind"]//*[normalize-space()="纪律处分"]')))
    await (await visible(driver, By.css('textarea[data-testid="accountability-reason"]'))).sendKeys('落实全面从严治党主体责任不力')
    await click(driver, await visible(driver, byTestId('accountability-save')))
    await waitText('accountability-dialog', /请填写被问责人/)
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="accountability-target"]//*[normalize-space()="单位（党组织）"]')))
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="accountability-kind"]//*[normalize-space()="通报"]')))
    await setDate('accountability-date', '2026-03-05')
    await (await visible(driver, By.css('input[data-testid="accountability-doc"]'))).sendKeys('穗直工〔2026〕3号')
    await driver.sleep(300)
    await screenshot(driver, 'agency-accountability-dialog')
    await click(driver, await visible(driver, byTestId('accountability-save')))
    await closed('accountability-dialog')
    const rows = await waitTableRows('agency-accountability', (r) => r.length === 1 && r[0].length > 1, 'the accountability listed')
    assert.deepEqual(rows[0].slice(0, 3), ['2026-03-05', '单位（党组织）', '通报'])
    // The stored 2026 result did not read it yet: the page says the data changed.
    await waitText('agency-years', /此后数据有变化/)
    await driver.sleep(300)
    await screenshot(driver, 'agency-records')
  })

  it('names 问责记录 as changed on 评选结果, and the rerun bars the agency', async () => {
    await openScreen(driver, '评选结果', '/results')
    await waitText('stale-banner', /此后问责记录有变化/)
    await screenshot(driver, 'agency-results-stale')
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="stale-banner"]//button[contains(normalize-space(), "重新运行评选")]')))
    await visible(driver, byTestId('run-line'), 60_000)
  })

  it('finds the agency in 单位查询 and opens it from the keyboard', async () => {
    await openScreen(driver, '单位查询', '/agencies')
    const input = await visible(driver, By.css('input[data-testid="agency-search"]'))
    await typeInto(input, AGENCY)
    await waitText('agency-count', /^共1家$/)
    const link = await visible(driver, By.xpath(`//*[@data-testid="agency-table"]//a[@data-testid="agency-link" and normalize-space()="${AGENCY}"]`))
    await driver.sleep(300)
    await screenshot(driver, 'agency-search')
    await driver.executeScript('arguments[0].focus()', link)
    await link.sendKeys(Key.ENTER)
    await waitFor(driver, async () => /#\/agencies\/\d+$/.test(await driver.getCurrentUrl()), 'the agency page by keyboard')
    const years = await waitTableRows('agency-years', (r) => r.length === 2, 'two years')
    assert.match(years[1][5], /2026年3月5日受到通报问责/)
    await driver.sleep(300)
    await screenshot(driver, 'agency-page-after')
  })

  it('exports the 历年情况 of the stored campaigns’ years from 单位查询', async () => {
    await openScreen(driver, '单位查询', '/agencies')
    const value = (testId) =>
      driver.executeScript('return document.querySelector(`[data-testid="${arguments[0]}"] input`)?.value ?? ""', testId)
    await waitFor(driver, async () => (await value('history-from')) === '2025' && (await value('history-to')) === '2026', 'the campaigns’ range')
    // The wrong way round is refused before any dialog.
    const from = await visible(driver, By.css('[data-testid="history-from"] input'))
    await typeInto(from, '2027')
    await from.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('history-export')))
    await waitText('history-error', /起始年度2027晚于截止年度2026/)
    await screenshot(driver, 'agency-history-range')
    await typeInto(from, '2025')
    await from.sendKeys(Key.TAB)
    const out = join(tmp, '历年情况.xlsx')
    queueDialog(queue, [out])
    await click(driver, await visible(driver, byTestId('history-export')))
    await waitFor(driver, async () => existsSync(out), 'the workbook written', 30_000)
    assert.equal((await driver.findElements(byTestId('history-error'))).length, 0)
    const book = readXlsx(out)
    assert.deepEqual(Object.keys(book), ['历年情况'])
    const cells = book['历年情况'].flat().join('|')
    assert.ok(cells.includes('2025—2026年度模范机关评选历年情况'), cells.slice(0, 200))
    assert.ok(cells.includes(AGENCY), AGENCY)
  })
})

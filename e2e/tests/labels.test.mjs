// 方案对比 in the scheme's own form, the pool selector of 评选结果 and Chinese labels
// (issue 11 §10, §11, §14): a campaign with the sample returns, the selection run, then
// a quota changed in a copy of the scheme shows only the pools and units that change,
// grouped by kind of change; a pool is found by searching the selector. Screenshots at
// 1600×1000 and at 1024×768.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, hidden, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { click, openScreen, queueDialog, tableRows, textOf, typeInto, waitRows } from './ui.mjs'

const samples = join(repoRoot, 'tests', 'fixtures', 'samples')
const RETURNS = ['00_广州市.xlsx', '01_广州市海珠区.xlsx', '02_广州市番禺区.xls', '03_广州市越秀区.xlsx'].map((f) =>
  join(samples, f),
)

/** Any run of Latin letters a clerk would read as English (the scheme's keys, pool codes). */
const ENGLISH = /\b(self|peer|organisation|public|third_party|province|city|county)\b/

describe('方案对比, the pool selector and Chinese labels', { timeout: 600_000 }, () => {
  let queue
  let win
  let driver

  before(async () => {
    win = await openWindow('labels', { env: { MOFAN_OPERATOR: '李科员' }, size: [1600, 1000] })
    ;({ queue, driver } = win)
  })

  after(() => closeWindow(win))

  it('creates a campaign, imports the samples and runs the selection', async () => {
    await openScreen(driver, '评选年度', '/campaigns')
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await input.click()
    await input.sendKeys(Key.chord(Key.CONTROL, 'a'))
    await input.sendKeys(Key.BACK_SPACE)
    await input.sendKeys('2026')
    await input.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('create-submit')))
    await waitRows(driver, 'campaign-table', (rows) => rows.some((r) => r[0] === '2026'), 'campaign listed')

    await openScreen(driver, '数据导入', '/imports')
    queueDialog(queue, RETURNS)
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(driver, 'pending-table', (r) => r.length === 4, 'four files listed', 60_000)
    const start = await visible(driver, byTestId('import-start'))
    await waitFor(driver, () => start.isEnabled(), 'four files checked', 60_000)
    await click(driver, start)
    await visible(driver, byTestId('import-summary'), 120_000)
    await click(driver, await visible(driver, byTestId('import-close')))
    await hidden(driver, byTestId('import-progress'))

    await openScreen(driver, '评选结果', '/results')
    await click(driver, await visible(driver, byTestId('run-selection')))
    await visible(driver, byTestId('result-counts'))
  })

  it('picks a pool in the grouped selector by searching its name', async () => {
    const select = await visible(driver, byTestId('pool-select'))
    await click(driver, select)
    // Grouped by tier, each pool with its seats.
    const groups = await driver.findElements(By.css('.pool-select-popper .el-select-group__title'))
    const titles = await Promise.all(groups.map(textOf))
    assert.ok(titles.some((t) => /^县级（\d+组）$/.test(t)), JSON.stringify(titles))
    assert.ok(titles.some((t) => /^市级（\d+组）$/.test(t)), JSON.stringify(titles))
    const options = await driver.findElements(By.css('.pool-select-popper .pool-option'))
    const texts = await Promise.all(options.map(textOf))
    assert.ok(texts.length >= 4, JSON.stringify(texts))
    assert.ok(texts.every((t) => /入选 \d+\/名额 \d+/.test(t) && !ENGLISH.test(t)), JSON.stringify(texts))
    await screenshot(driver, 'labels-pool-selector')

    await driver.actions().sendKeys('越秀').perform()
    const match = await waitFor(driver, async () => {
      const shown = []
      for (const o of await driver.findElements(By.css('.pool-select-popper .pool-option'))) {
        if (await o.isDisplayed()) shown.push(o)
      }
      return shown.length === 1 && /^县级\/广州市越秀区/.test(await textOf(shown[0])) && shown[0]
    }, 'only the matching pool is listed')
    await screenshot(driver, 'labels-pool-search')
    await click(driver, match)
    await waitFor(driver, async () => {
      const rows = await tableRows(driver, 'results-table')
      return rows.length > 0 && rows.every((r) => r[1].includes('越秀'))
    }, 'the pool of 越秀区 is shown')
    assert.match(await textOf(await visible(driver, byTestId('pool-line'))), /名额 2 个/)
    await screenshot(driver, 'labels-results')
  })

  it('compares a copy of the scheme edited in its form, showing only what changes', async () => {
    await click(driver, await visible(driver, byTestId('open-compare')))
    const dialog = await visible(driver, byTestId('compare-dialog'))
    const form = await visible(driver, byTestId('compare-form'), 20_000)
    assert.ok(!ENGLISH.test(await textOf(form)), 'the form shows labels, not keys')
    const quotaTab = await dialog.findElement(
      By.xpath('.//*[contains(@class, "el-tabs__item") and normalize-space()="名额规则"]'),
    )
    await click(driver, quotaTab)
    const county = await visible(driver, By.css('[data-testid="compare-dialog"] input[data-testid="quota-value-3"]'))
    await typeInto(county, '1')
    await click(driver, await visible(driver, byTestId('compare-run')))

    const summary = await visible(driver, byTestId('compare-summary'), 20_000)
    assert.match(await textOf(summary), /^按修改后的方案，(\d+)家单位的结果会改变，(\d+)个组的名额会改变$/)
    const [, units, pools] = /(\d+)家单位的结果会改变，(\d+)个组/.exec(await textOf(summary))
    const poolLines = await textOf(await visible(driver, byTestId('compare-pools')))
    assert.match(poolLines, /县级\/广州市越秀区\s*名额 2 → 1/)
    assert.ok(!ENGLISH.test(poolLines), poolLines)
    // One group only: the units that lose a seat, one per county pool.
    const groups = await driver.findElements(By.css('[data-testid^="compare-group-"]'))
    assert.equal(groups.length, 1)
    assert.equal(await groups[0].getAttribute('data-testid'), 'compare-group-selected-not_selected')
    const heading = await textOf(await groups[0].findElement(By.css('h4')))
    assert.match(heading, /入选\s*→\s*未入选\s*(\d+) 家/)
    const rows = await groups[0].findElements(By.css('.el-table__body tr'))
    assert.equal(String(rows.length), units)
    assert.equal(units, pools)
    const first = await Promise.all((await rows[0].findElements(By.css('td .cell'))).map(textOf))
    assert.match(first[1], /^县级\//)
    assert.match(first[3], /第2名/)
    await screenshot(driver, 'labels-compare')

    // At 1024×768 the dialog still fits: its buttons stay on screen.
    await driver.manage().window().setRect({ width: 1024, height: 768 })
    await driver.sleep(800)
    const run = await visible(driver, byTestId('compare-run'))
    const rect = await run.getRect()
    const inner = await driver.executeScript('return [window.innerWidth, window.innerHeight]')
    assert.ok(rect.x + rect.width <= inner[0] && rect.y + rect.height <= inner[1], JSON.stringify({ rect, inner }))
    await screenshot(driver, 'labels-compare-1024')
    await click(driver, await visible(driver, byTestId('compare-back')))
    await visible(driver, byTestId('compare-form'))
    await screenshot(driver, 'labels-compare-form-1024')
    await driver.actions().sendKeys(Key.ESCAPE).perform()
    await hidden(driver, dialog)
    await click(driver, await visible(driver, byTestId('pool-select')))
    await driver.sleep(400)
    await screenshot(driver, 'labels-pool-selector-1024')
    await driver.actions().sendKeys(Key.ESCAPE).perform()
    await driver.manage().window().setRect({ width: 1600, height: 1000 })
  })

  it('shows nothing stored by comparing and the scheme screen without keys', async () => {
    await openScreen(driver, '评选方案', '/scheme')
    const table = await visible(driver, byTestId('components-table'))
    const text = await textOf(table)
    assert.match(text, /群众测评/)
    assert.ok(!ENGLISH.test(text), text)
    await click(driver, await visible(driver, By.xpath('//*[contains(@class, "el-tabs__item") and normalize-space()="名额规则"]')))
    const county = await visible(driver, By.css('input[data-testid="quota-value-3"]'))
    assert.equal(await county.getProperty('value'), '2', 'the stored scheme is unchanged')
    await screenshot(driver, 'labels-scheme')
  })
})

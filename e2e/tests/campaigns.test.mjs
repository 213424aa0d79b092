// 评选年度: create a campaign through the real window and see it listed, with the database
// in a temporary file given by $MOFAN_DB.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { bounded, byTestId, closeWindow, hidden, log, openApp, screenshot, startTauriDriver, visible, waitFor } from './harness.mjs'
import { openScreen, textOf } from './ui.mjs'

const YEAR = '2031'

/**
 * The cells of every table row, as rendered text (`innerText`: WebKitWebDriver's element
 * text leaves out most Element Plus cells).
 */
async function tableRows(driver) {
  const rows = await driver.findElements(By.css('[data-testid="campaign-table"] .el-table__body tr'))
  return Promise.all(
    rows.map(async (row) => {
      const cells = await row.findElements(By.css('td .cell'))
      return Promise.all(cells.map(async (c) => String(await c.getProperty('innerText')).trim()))
    }),
  )
}

async function typeYear(driver, year) {
  const input = await visible(driver, By.css('[data-testid="year-input"] input'))
  await input.click()
  // Separate calls: in one call WebKitWebDriver keeps Control held for the following keys.
  await input.sendKeys(Key.chord(Key.CONTROL, 'a'))
  await input.sendKeys(Key.BACK_SPACE)
  await input.sendKeys(year)
  await input.sendKeys(Key.TAB)
  // getProperty is a native WebDriver command; getAttribute would run a script atom.
  await waitFor(
    driver,
    async () => (await input.getProperty('value')) === year,
    `year input shows ${year}`,
    5_000,
  )
}

describe('评选年度 (campaign list)', { timeout: 180_000 }, () => {
  let tmp
  let settings
  let dbPath
  let tauriDriver
  let driver

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'mofan-e2e-'))
    dbPath = join(tmp, 'mofan.db')
    settings = join(tmp, 'settings.json')
    tauriDriver = await startTauriDriver({ MOFAN_DB: dbPath, MOFAN_OPERATOR: 'e2e测试', MOFAN_SETTINGS: settings })
    driver = await openApp()
  })

  after(() => closeWindow({ tmp, tauriDriver, driver }))

  it('opens the window with the Chinese layout and an empty state', async () => {
    const brand = await visible(driver, byTestId('brand'), 30_000)
    assert.match(await brand.getText(), /模范机关评选$/)
    assert.equal(await driver.getTitle(), '模范机关评选')
    const menu = await visible(driver, byTestId('side-menu'))
    assert.match(await menu.getText(), /评选年度/)
    // A first start stays on 工作台, which says how to begin.
    assert.match(await textOf(await visible(driver, byTestId('getting-started'))), /还没有评选年度/)
    await openScreen(driver, '评选年度', '/campaigns')
    const empty = await visible(driver, byTestId('campaigns-empty'))
    assert.match(await empty.getText(), /还没有评选年度/)
    assert.match(await empty.getText(), /点击“新建评选年度”/)
    await screenshot(driver, 'campaigns-empty')
    assert.ok(existsSync(dbPath), 'the app opened the database named by $MOFAN_DB')
  })

  it('creates a campaign with the default scheme and lists it', async () => {
    await (await visible(driver, byTestId('new-campaign'))).click()
    const dialog = await visible(driver, By.css('.el-dialog'))
    assert.match(await dialog.getText(), /新建评选年度/)
    const defaultRadio = await driver.findElement(By.css('[data-testid="scheme-default"] input'))
    assert.equal(await defaultRadio.isSelected(), true, '默认方案 is preselected')

    await typeYear(driver, YEAR)
    await (await visible(driver, byTestId('create-submit'))).click()

    const rows = await waitFor(
      driver,
      async () => {
        const found = await tableRows(driver)
        return found.some((cells) => cells[0] === YEAR) && found
      },
      `a row for ${YEAR} appears`,
    )
    assert.equal(rows.length, 1)
    const [year, title, status, returns, files, createdAt] = rows[0]
    assert.equal(year, YEAR)
    assert.match(title, new RegExp(`^${YEAR}年度.*评选$`))
    assert.equal(status, '草稿')
    assert.equal(returns, '0')
    assert.equal(files, '0')
    assert.match(createdAt, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'created time is shown')

    await hidden(driver, dialog)
    const file = await screenshot(driver, 'campaigns')
    assert.ok(readFileSync(file).length > 10_000, 'screenshot has content')
  })

  it('shows the core error inline when the year already exists', async () => {
    await (await visible(driver, byTestId('new-campaign'))).click()
    await typeYear(driver, YEAR)
    await (await visible(driver, byTestId('create-submit'))).click()
    const alert = await visible(driver, byTestId('create-error'))
    const text = await alert.getText()
    assert.match(text, new RegExp(YEAR), `error names the year: ${text}`)
    assert.match(text, /[\u4e00-\u9fff]/, `error is in Chinese: ${text}`)
    await screenshot(driver, 'campaigns-duplicate')
    const cancel = await driver.findElement(By.xpath("//div[contains(@class,'el-dialog')]//button[normalize-space()='取消']"))
    await cancel.click()
    assert.equal((await tableRows(driver)).length, 1, 'still one campaign')
  })

  it('keeps the campaign and the window size after the app restarts, opening on the dashboard', async () => {
    await driver.manage().window().setRect({ width: 1100, height: 700 })
    // The size is saved half a second after the last resize.
    await waitFor(
      driver,
      async () => existsSync(settings) && /"width": 1100/.test(readFileSync(settings, 'utf8')),
      'window size saved',
      10_000,
    )
    log('restart: closing the app')
    await bounded(driver.quit(), 30_000, 'closing the app')
    log('restart: the app closed, opening it again')
    driver = await openApp()
    log('restart: the app open again')
    const rect = await driver.manage().window().getRect()
    assert.deepEqual([rect.width, rect.height], [1100, 700], 'the window opens at its last size')
    // With a campaign, the window opens on 工作台 with the remembered campaign chosen.
    const select = await visible(driver, byTestId('campaign-select'), 30_000)
    await waitFor(driver, async () => new RegExp(`${YEAR}年度`).test(await textOf(select)), 'campaign remembered')
    await waitFor(driver, async () => /#\/dashboard$/.test(await driver.getCurrentUrl()), 'opens on 工作台')
    await openScreen(driver, '评选年度', '/campaigns')
    const rows = await waitFor(
      driver,
      async () => {
        const found = await tableRows(driver)
        return found.length > 0 && found
      },
      'the table is listed again after a restart',
      30_000,
    )
    assert.equal(rows.length, 1)
    assert.equal(rows[0][0], YEAR, `row after restart: ${JSON.stringify(rows[0])}`)
    assert.equal(rows[0][2], '草稿')
  })
})

// When the database cannot be opened the window still starts and says why.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { By } from 'selenium-webdriver'
import { byTestId, closeWindow, openApp, screenshot, startTauriDriver, waitFor } from './harness.mjs'

describe('database that cannot be opened', { timeout: 120_000 }, () => {
  let tmp
  let tauriDriver
  let driver

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'mofan-e2e-'))
    // A directory is not a database file: Store::open fails.
    tauriDriver = await startTauriDriver({ MOFAN_DB: tmp, MOFAN_OPERATOR: 'e2e测试' })
    driver = await openApp()
  })

  after(() => closeWindow({ tmp, tauriDriver, driver }))

  it('opens the window and shows the core error in Chinese', async () => {
    // Found and read in one retried step: the page may re-render the alert between a
    // lookup and a read (a stale element otherwise).
    const text = await waitFor(
      driver,
      async () => {
        const alert = await driver.findElement(byTestId('load-error'))
        return (await alert.isDisplayed()) && (await alert.getText())
      },
      'the load error is shown',
      30_000,
    )
    assert.match(text, /^无法读取评选年度：/)
    assert.match(text.replace(/^无法读取评选年度：/, ''), /[\u4e00-\u9fff]/, `Chinese cause: ${text}`)
    assert.equal((await driver.findElements(byTestId('campaign-table'))).length, 0)
    assert.equal((await driver.findElements(byTestId('campaigns-empty'))).length, 0)
    assert.equal((await driver.findElements(By.css('.el-card'))).length, 0, 'no blank card under the error')
    await screenshot(driver, 'store-error')
  })
})

// The first start of the binary under test ($MOFAN_DESKTOP_BIN): in the full test run
// (scripts/test.sh) that is the desktop binary extracted from the Debian package, so this
// is the package's own program reaching its first screen on a new database. Prints the
// time from launching it to the first screen drawn.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appBinary, byTestId, closeWindow, log, openApp, screenshot, startTauriDriver, visible } from './harness.mjs'
import { textOf } from './ui.mjs'

describe('first start', { timeout: 120_000 }, () => {
  let tmp
  let tauriDriver
  let driver

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'mofan-e2e-package-'))
    tauriDriver = await startTauriDriver({
      MOFAN_DB: join(tmp, 'mofan.db'),
      MOFAN_OPERATOR: 'e2e测试',
    })
  })

  after(() => closeWindow({ tmp, tauriDriver, driver }))

  it('reaches the first screen on a new database', async () => {
    log(`binary under test: ${appBinary()}`)
    const t0 = Date.now()
    driver = await openApp()
    await visible(driver, byTestId('brand'), 30_000)
    const ms = Date.now() - t0
    log(`first start: ${ms} ms from launch to the first screen`)
    assert.match(await textOf(await visible(driver, byTestId('brand'))), /模范机关评选/)
    // A new database is made on first start: the store opened and migrated.
    assert.ok(existsSync(join(tmp, 'mofan.db')), 'the database file exists after the first start')
    await screenshot(driver, 'first-start')
  })
})

// Cold start of the desktop app to an interactive first screen (issue 5 benchmark).
//
//   MOFAN_DESKTOP_BIN=target/release/mofan-desktop \
//     xvfb-run -a -s '-screen 0 1600x1000x24 -noreset' node e2e/bench-startup.mjs [runs]
//
// (-noreset: without it Xvfb starts itself over when a run's app closes, and the next run's
// app, started at once, can find no display.)
//
// Each run starts the app on a fresh database through tauri-driver and measures the time
// from the WebDriver session request (which launches the binary) until the first screen's
// 新建评选年度 button is displayed and enabled. The figure includes WebDriver's own
// session set-up, so it overstates the start a user sees. Target: under 1.5 s.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appBinary, byTestId, openApp, startTauriDriver, stopTauriDriver } from './tests/harness.mjs'

const runs = Number(process.argv[2] ?? 5)
const dir = mkdtempSync(join(tmpdir(), 'mofan-startup-'))
const db = join(dir, 'bench.db')
const driverHandle = await startTauriDriver({ MOFAN_DB: db })
const times = []
try {
  for (let i = 0; i < runs; i++) {
    rmSync(db, { force: true })
    rmSync(`${db}-wal`, { force: true })
    rmSync(`${db}-shm`, { force: true })
    const t0 = performance.now()
    const driver = await openApp()
    try {
      await driver.wait(async () => {
        const els = await driver.findElements(byTestId('new-campaign'))
        return els.length > 0 && (await els[0].isDisplayed()) && (await els[0].isEnabled())
      }, 30_000)
      times.push(performance.now() - t0)
    } finally {
      await driver.quit()
    }
  }
} finally {
  await stopTauriDriver(driverHandle)
  rmSync(dir, { recursive: true, force: true })
}
times.sort((a, b) => a - b)
const median = times[Math.floor(times.length / 2)]
console.log(`binary: ${appBinary()}`)
console.log(`runs: ${times.map((t) => (t / 1000).toFixed(2) + ' s').join(', ')}`)
console.log(`median cold start to an interactive first screen: ${(median / 1000).toFixed(2)} s (target < 1.5 s)`)

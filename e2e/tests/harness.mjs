// Starts tauri-driver, opens the real desktop window through it and tears both down.
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Builder, By, Capabilities, WebElement } from 'selenium-webdriver'

const here = dirname(fileURLToPath(import.meta.url))

// Each test file says when it starts, tears down and ends, so that a slow or stuck run
// shows in the log where its time went.
const fileName = basename(process.argv[1] ?? 'e2e')
const started = Date.now()
export function log(message) {
  console.log(`# ${new Date().toISOString()} ${fileName} (+${((Date.now() - started) / 1000).toFixed(1)} s): ${message}`)
}
log('started')
process.once('exit', (code) => log(`exits with ${code}`))
export const repoRoot = resolve(here, '..', '..')
export const screenshotDir = join(repoRoot, 'e2e', 'screenshots')

/** The desktop binary under test: $MOFAN_DESKTOP_BIN, else target/debug/mofan-desktop. */
export function appBinary() {
  if (process.env.MOFAN_DESKTOP_BIN) return resolve(process.env.MOFAN_DESKTOP_BIN)
  const target = process.env.CARGO_TARGET_DIR
    ? resolve(repoRoot, process.env.CARGO_TARGET_DIR)
    : join(repoRoot, 'target')
  return join(target, 'debug', 'mofan-desktop')
}

/**
 * Runs `mofan ARGS…` on database `db` (the command line built beside the desktop binary),
 * as operator 王科员, to prepare what a test opens; returns its output, throws on failure.
 */
export function mofan(db, ...args) {
  const bin = join(dirname(appBinary()), 'mofan')
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the command line (cargo build -p mofan)`)
  const r = spawnSync(bin, ['--db', db, ...args], { encoding: 'utf8', env: { ...process.env, MOFAN_OPERATOR: '王科员' } })
  if (r.status !== 0) throw new Error(`mofan ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** A TCP port nobody listens on now. */
async function freePort() {
  const server = createServer()
  await new Promise((res) => server.listen(0, '127.0.0.1', res))
  const { port } = server.address()
  await new Promise((res) => server.close(res))
  return port
}

// $E2E_DRIVER_PORT, else free ports, so that several test runs on one machine (other
// checkouts, CI jobs) do not meet on tauri-driver's default port.
const driverPort = Number(process.env.E2E_DRIVER_PORT ?? (await freePort()))
const nativePort = process.env.E2E_DRIVER_PORT ? driverPort + 1 : await freePort()
const nativeDriver = process.env.E2E_NATIVE_DRIVER ?? '/usr/bin/WebKitWebDriver'

/**
 * Starts tauri-driver with `env` (which the app inherits, e.g. MOFAN_DB).
 * Resolves once it accepts connections.
 */
export async function startTauriDriver(env) {
  // The app's remembered settings (operator, database location, window size) go to a file
  // of this test run, never the user's own.
  const settings = join(tmpdir(), `mofan-e2e-settings-${process.pid}-${Date.now()}.json`)
  const child = spawn(
    'tauri-driver',
    ['--port', String(driverPort), '--native-port', String(nativePort), '--native-driver', nativeDriver],
    // A process group of its own, so that the stop below reaches WebKitWebDriver and the app
    // too: a survivor holding the pipe would keep this test file's process from ever exiting.
    { env: { ...process.env, MOFAN_SETTINGS: settings, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  log(`tauri-driver started (pid ${child.pid})`)
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  lastDriverOutput = () => output
  const exited = new Promise((res) => child.once('exit', (code) => res(code)))
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const code = await Promise.race([exited, sleep(250).then(() => undefined)])
    if (code !== undefined) throw new Error(`tauri-driver exited early (${code}):\n${output}`)
    try {
      const res = await fetch(`http://127.0.0.1:${driverPort}/status`)
      await res.arrayBuffer()
      return { child, output: () => output }
    } catch {
      // not listening yet
    }
  }
  child.kill('SIGKILL')
  throw new Error(`tauri-driver did not start listening on port ${driverPort}:\n${output}`)
}

export async function stopTauriDriver(handle) {
  if (!handle) return
  const { child } = handle
  const group = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {
      // the group is gone already
    }
  }
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((res) => child.once('exit', res))
    group('SIGTERM')
    // The wait is cancelled once the driver is gone: a pending timer would hold the file open.
    const waiting = new AbortController()
    await Promise.race([exited, sleep(5_000, undefined, { signal: waiting.signal }).catch(() => {})])
    waiting.abort()
  }
  // Whatever of the group is left (the native driver, the app) goes now.
  group('SIGKILL')
  child.stdout?.destroy()
  child.stderr?.destroy()
  log('tauri-driver stopped')
  // Last resort: a test file whose tests are over must end. Should anything still hold the
  // event loop, name it and leave, instead of hanging the whole run until its time limit.
  setTimeout(() => {
    const handles = process._getActiveHandles?.().map((h) => h?.constructor?.name ?? typeof h) ?? []
    log(`still running 30 s after the stop, exiting; open handles: ${handles.join(', ') || 'none'}`)
    process.exit(process.exitCode ?? 0)
  }, 30_000).unref()
}

// What the last tauri-driver started has printed (its own, WebKitWebDriver's and the app's
// standard error), for the message of a WebDriver call that never answers.
let lastDriverOutput = () => ''

/**
 * `promise`, or an error naming `what` once `ms` have passed without an answer. A session
 * that WebKitWebDriver never opens (or never closes) would otherwise hold the test until
 * its file's time limit, which names no step; this error names the step and ends with the
 * last lines the drivers and the app printed.
 */
export async function bounded(promise, ms, what) {
  // Once given up on, the call's own later failure (its driver stopped) is nobody's error.
  promise.catch(() => {})
  let timer
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const tail = lastDriverOutput().trimEnd().split('\n').slice(-30).join('\n')
      log(`no answer to ${what} in ${ms / 1000} s`)
      reject(new Error(`no answer to ${what} in ${ms / 1000} s; the drivers and the app printed last:\n${tail}`))
    }, ms)
  })
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Opens a WebDriver session on the desktop app (this launches the binary). */
export async function openApp() {
  const binary = appBinary()
  if (!existsSync(binary)) {
    throw new Error(`desktop binary not found: ${binary} (build it first, see scripts/test.sh)`)
  }
  const caps = new Capabilities()
  caps.setBrowserName('wry')
  caps.set('tauri:options', { application: binary })
  const driver = new Builder().usingServer(`http://127.0.0.1:${driverPort}/`).withCapabilities(caps).build()
  // The session is opened once the app has started and its web view answers WebKitWebDriver.
  await bounded(driver.getSession(), 60_000, 'the new session (the app starting)')
  await driver.manage().setTimeouts({ implicit: 0, pageLoad: 30_000, script: 30_000 })
  return driver
}

/**
 * Opens the app the way most test files need it, on a folder of its own: `tmp` (removed
 * by `closeWindow`), `db` (tmp/mofan.db) and `queue` (the answers to native dialogs, empty
 * to begin with). `prepare(win)` runs first — fixtures written into `tmp`, the command
 * line run on `db`. The app gets operator 王科员, the database and the queue unless `env`
 * says otherwise; once its window is drawn it is given `size` ([width, height]) if asked.
 * Whatever fails on the way is torn down before the error is passed on.
 */
export async function openWindow(name, { prepare, env = {}, size } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), `mofan-e2e-${name}-`))
  const win = { tmp, db: join(tmp, 'mofan.db'), queue: join(tmp, 'dialogs'), tauriDriver: null, driver: null }
  try {
    writeFileSync(win.queue, '')
    await prepare?.(win)
    win.tauriDriver = await startTauriDriver({
      MOFAN_DB: win.db,
      MOFAN_OPERATOR: '王科员',
      MOFAN_TEST_DIALOG_QUEUE: win.queue,
      ...env,
    })
    win.driver = await openApp()
    await visible(win.driver, byTestId('brand'), 30_000)
    if (size) await win.driver.manage().window().setRect({ width: size[0], height: size[1] })
    return win
  } catch (error) {
    await closeWindow(win)
    throw error
  }
}

/** Quits the app and its drivers and removes the folder (`openWindow`'s, or any `{ tmp, tauriDriver, driver }`). */
export async function closeWindow(win) {
  if (!win) return
  try {
    if (win.driver) await bounded(win.driver.quit(), 30_000, 'closing the app')
  } finally {
    await stopTauriDriver(win.tauriDriver)
    if (win.tmp) rmSync(win.tmp, { recursive: true, force: true })
  }
}

export const byTestId = (id) => By.css(`[data-testid="${id}"]`)

/**
 * Waits for an element matching `locator` to be displayed and returns the first such.
 *
 * Every poll looks the elements up again: an element found while the page is being drawn
 * again may be gone a moment later (a closed dialog's summary of the last import is still in
 * the page when 导入 is clicked, and goes as the dialog opens for the next), so holding on
 * to the first one found failed a loaded run with a stale element.
 */
export async function visible(driver, locator, timeout = 15_000) {
  return capturingFailure(driver, `visible ${locator}`, () =>
    driver.wait(
      async () => {
        for (const el of await driver.findElements(locator)) {
          if (await displayed(el)) return el
        }
        return false
      },
      timeout,
      `Waiting for ${locator} to be displayed`,
    ),
  )
}

/**
 * Waits until nothing `target` names is displayed: a locator (every match), or an element
 * found before. An element gone from the page counts as hidden — a dialog or a drawer drawn
 * again while closing must not fail the wait with a stale element.
 */
export async function hidden(driver, target, timeout = 10_000) {
  return waitFor(
    driver,
    async () => {
      const els = target instanceof WebElement ? [target] : await driver.findElements(target)
      for (const el of els) {
        if (await displayed(el)) return false
      }
      return true
    },
    `${target} hidden`,
    timeout,
  )
}

/** Whether `el` is displayed; an element gone from the page is not. */
async function displayed(el) {
  try {
    return await el.isDisplayed()
  } catch (error) {
    if (error?.name === 'StaleElementReferenceError') return false
    throw error
  }
}

/** Waits until `predicate()` resolves truthy; returns its value. */
export async function waitFor(driver, predicate, message, timeout = 15_000) {
  return capturingFailure(driver, message, () =>
    driver.wait(
      async () => {
        try {
          return await predicate()
        } catch {
          return false
        }
      },
      timeout,
      message,
    ),
  )
}

/**
 * Runs a wait; when it times out, saves what the window showed then as
 * `failed-<file>-<n>.png` beside the screenshots (and says so in the log), so that a failure
 * on CI or on another machine can be looked at, not only read about.
 */
let failures = 0
async function capturingFailure(driver, what, wait) {
  try {
    return await wait()
  } catch (error) {
    if (error?.name === 'TimeoutError') {
      failures += 1
      const name = `failed-${fileName.replace(/\.test\.mjs$/, '')}-${failures}`
      try {
        const file = await screenshot(driver, name)
        log(`timed out waiting for ${what}: the window then is in ${file}`)
      } catch (shot) {
        log(`timed out waiting for ${what}; no screenshot (${shot?.message ?? shot})`)
      }
    }
    throw error
  }
}

/**
 * Waits, at most `ms`, until no finite CSS animation or transition is running in the
 * window: a screenshot taken the moment an element appears can otherwise catch a dialog
 * half faded in. An endless one (a spinner) is not waited for.
 */
async function settled(driver, ms = 2_000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const running = await driver.executeScript(`
      if (typeof document.getAnimations !== 'function') return 0
      return document.getAnimations().filter((a) =>
        a.playState === 'running' &&
        !(a.effect && a.effect.getComputedTiming().iterations === Infinity)).length`)
    if (running === 0) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * Saves a WebDriver screenshot as `name`.png, plus an X screen grab (`name`-screen.png) with
 * ImageMagick's `import` when a display and the tool are there (a check that the real window,
 * not only the web view, is drawn), once the window's animations have come to rest.
 */
export async function screenshot(driver, name) {
  await settled(driver)
  mkdirSync(screenshotDir, { recursive: true })
  const file = join(screenshotDir, `${name}.png`)
  writeFileSync(file, Buffer.from(await driver.takeScreenshot(), 'base64'))
  if (process.env.DISPLAY) {
    const grab = spawnSync('import', ['-window', 'root', join(screenshotDir, `${name}-screen.png`)], {
      timeout: 15_000,
      stdio: 'ignore',
    })
    if (grab.error && grab.error.code !== 'ENOENT') throw grab.error
  }
  return file
}

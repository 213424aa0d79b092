// Helpers for driving Element Plus screens through WebKitWebDriver.
import { appendFileSync } from 'node:fs'
import { By, Key } from 'selenium-webdriver'
import { byTestId, visible, waitFor } from './harness.mjs'

/** Rendered text of an element (WebKitWebDriver's getText leaves out much of Element Plus). */
export async function textOf(el) {
  return String(await el.getProperty('innerText')).trim()
}

/**
 * The cells of every body row of the Element Plus table with this test id. A virtualised
 * table (el-table-v2) lists only the rows in view, and draws its fixed columns as tables of
 * their own: a row's cells are gathered by its `data-key` from the left, main and right parts.
 */
export async function tableRows(driver, testId) {
  const grid = await driver.executeScript(
    `const root = document.querySelector(arguments[0]);
     if (!root || !root.querySelector('.el-table-v2')) return null;
     const rows = new Map();
     for (const part of ['left', 'main', 'right']) {
       root.querySelectorAll('.el-table-v2__' + part + ' .el-table-v2__row').forEach((row, i) => {
         const key = row.dataset.key ?? String(i);
         if (!rows.has(key)) rows.set(key, { top: row.getBoundingClientRect().top, parts: {} });
         rows.get(key).parts[part] = [...row.querySelectorAll('.el-table-v2__row-cell')]
           .filter((c) => !c.classList.contains('el-table-v2__row-cell--placeholder'))
           .map((c) => c.innerText.trim());
       });
     }
     return [...rows.values()]
       .sort((a, b) => a.top - b.top)
       .map((r) => [...(r.parts.left ?? []), ...(r.parts.main ?? []), ...(r.parts.right ?? [])]);`,
    `[data-testid="${testId}"]`,
  )
  if (grid) return grid
  // A plain table: every row's cells in one script, as `textOf` reads them (innerText,
  // trimmed); one WebDriver call per cell took seconds for a table of a few hundred cells.
  return driver.executeScript(
    `return [...document.querySelectorAll(arguments[0])].map((tr) =>
       [...tr.querySelectorAll('td .cell')].map((c) => c.innerText.trim()));`,
    `[data-testid="${testId}"] .el-table__body tr`,
  )
}

/** Waits until the table's rows satisfy `predicate(rows)`; returns the rows. */
export async function waitRows(driver, testId, predicate, message, timeout = 20_000) {
  return waitFor(
    driver,
    async () => {
      const rows = await tableRows(driver, testId)
      return predicate(rows) && rows
    },
    message,
    timeout,
  )
}

/**
 * Clicks an element, retrying while an overlay that is fading out (a closing dialog, a
 * drawer) still covers it, or while it is not yet interactable (a select's pop-up still
 * opening: its options are in the page and on top before WebKit lets them be clicked), and
 * first waiting for it to be enabled.
 */
export async function click(driver, el, timeout = 10_000) {
  const deadline = Date.now() + timeout
  for (;;) {
    // A disabled button takes a click and does nothing, and many are enabled by an answer
    // that follows what the test waited for (导入 once the core has counted the batch, after
    // the file's row shows 可导入): the click waits for the button to be enabled.
    if (!(await el.isEnabled())) {
      if (Date.now() > deadline) throw new Error(`the element to click stayed disabled for ${timeout} ms`)
      await driver.sleep(100)
      continue
    }
    try {
      await el.click()
      return
    } catch (error) {
      const retry = ['ElementClickInterceptedError', 'ElementNotInteractableError'].includes(error?.name)
      if (!retry || Date.now() > deadline) throw error
      await driver.sleep(200)
    }
  }
}

/** Clicks a side-menu entry by its label and waits for the route. */
export async function openScreen(driver, label, path) {
  const item = await visible(
    driver,
    By.xpath(`//*[@data-testid="side-menu"]//li[normalize-space()="${label}"]`),
  )
  await click(driver, item)
  await waitFor(driver, async () => (await driver.getCurrentUrl()).endsWith(`#${path}`), `route ${path}`)
}

/** A button by its visible text inside `scope` (a CSS selector), the first displayed one. */
export async function button(driver, text, scope = 'body') {
  return waitFor(
    driver,
    async () => {
      const found = await driver.findElements(
        By.xpath(`${cssToXpathScope(scope)}//button[contains(normalize-space(), "${text}")]`),
      )
      for (const b of found) if (await b.isDisplayed()) return b
      return false
    },
    `button “${text}”`,
  )
}

function cssToXpathScope(scope) {
  if (scope === 'body') return ''
  const m = /^\[data-testid="([^"]+)"\]$/.exec(scope)
  if (m) return `//*[@data-testid="${m[1]}"]`
  const cls = /^\.([\w-]+)$/.exec(scope)
  if (cls) return `//*[contains(concat(" ", normalize-space(@class), " "), " ${cls[1]} ")]`
  throw new Error(`unsupported scope ${scope}`)
}

/** Queues the answer of the next native file dialog (see src-tauri/src/files.rs). */
export function queueDialog(queueFile, paths) {
  appendFileSync(queueFile, `${paths.join('|')}\n`)
}

/** Replaces the text of an input (clicked as `click` does: a closing pop-up may cover it). */
export async function typeInto(input, text) {
  await click(input.getDriver(), input)
  await input.sendKeys(Key.chord(Key.CONTROL, 'a'))
  await input.sendKeys(Key.BACK_SPACE)
  if (text) await input.sendKeys(text)
}

/** The texts of the Element Plus message toasts on screen, joined. */
export async function lastMessages(driver) {
  const els = await driver.findElements(By.css('.el-message .el-message__content'))
  return (await Promise.all(els.map(textOf))).join('\n')
}

export { byTestId }

/** Chooses an option of the Element Plus select with this test id by its label. */
export async function chooseOption(driver, testId, label) {
  const { click } = await import('./ui.mjs')
  await click(driver, await visible(driver, By.css(`[data-testid="${testId}"]`)))
  const option = await visible(
    driver,
    By.xpath(`//li[contains(@class, "el-select-dropdown__item") and normalize-space()="${label}"]`),
  )
  await click(driver, option)
}

// Every screen at 1600×1000 and at 1024×768 (the window allows 960 wide): a year with the
// sample returns, a run selection and the registry, then each screen of the side menu and
// the main dialogs and drawers at both sizes, with a screenshot of each
// (`layout-<screen>-<width>`) and checks in the page that nothing needed leaves the window
// or is cut: no sideways scrolling, the page header's buttons inside the window, subtitles
// not squeezed, dialogs and drawers inside the window, no placeholder or chosen value cut
// off, no form label wrapping into the next row, no status tag wider than its cell. Also one
// font for the page, its buttons, inputs, placeholders and pop-ups (issue 11 §13, §15, §16).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, hidden, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { button, click, lastMessages, openScreen, queueDialog, textOf, typeInto, waitRows } from './ui.mjs'

const YEAR = '2026'
// A title as long as real ones get: the year selector must still show it whole.
const TITLE = '2026年度省直机关“模范机关”创建活动评选'
const samples = join(repoRoot, 'tests', 'fixtures', 'samples')
const RETURNS = ['00_广州市.xlsx', '01_广州市海珠区.xlsx', '02_广州市番禺区.xls', '03_广州市越秀区.xlsx'].map((f) =>
  join(samples, f),
)
const AWARDS = join(samples, 'awards.xlsx')
const BAD_FILE = join(repoRoot, 'tests', 'fixtures', 'returns', 'openpyxl_bad_rows.xlsx')
const SIZES = [
  [1600, 1000],
  [1024, 768],
]

/**
 * Runs in the page: what leaves the window or is cut, as Chinese sentences (empty when the
 * layout is sound). Hidden elements (screens kept alive but not shown, closed pop-ups) are
 * skipped.
 */
function layoutProblems() {
  const out = []
  const vw = window.innerWidth
  const vh = window.innerHeight
  const shown = (el) => {
    const r = el.getBoundingClientRect()
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
  }
  const text = (el) => (el.innerText || el.getAttribute('placeholder') || el.className || '').trim().replace(/\s+/g, ' ').slice(0, 40)
  const px = Math.round
  const doc = document.documentElement
  if (doc.scrollWidth > vw) out.push(`页面横向超出窗口：${doc.scrollWidth} > ${vw}`)
  const main = document.querySelector('.el-main')
  if (main && main.scrollWidth > main.clientWidth + 1) out.push(`主区域横向滚动：${main.scrollWidth} > ${main.clientWidth}`)
  for (const b of document.querySelectorAll('.page-header button')) {
    if (!shown(b)) continue
    const r = b.getBoundingClientRect()
    if (r.left < 0 || r.right > vw || r.top < 0 || r.bottom > vh) {
      out.push(`页头按钮“${text(b)}”在窗口外：${px(r.left)}–${px(r.right)} × ${px(r.top)}–${px(r.bottom)}`)
    }
  }
  for (const s of document.querySelectorAll('.page-header .subtitle')) {
    if (!shown(s)) continue
    const w = s.getBoundingClientRect().width
    if (w < 12 * parseFloat(getComputedStyle(s).fontSize)) out.push(`副标题被挤成 ${px(w)}px 宽：${text(s)}`)
  }
  for (const d of document.querySelectorAll('.el-dialog, .el-drawer, .el-message-box')) {
    if (!shown(d)) continue
    const r = d.getBoundingClientRect()
    const title = text(d.querySelector('.el-dialog__title, .el-drawer__title, .el-message-box__title') ?? d)
    if (r.left < -1 || r.right > vw + 1) out.push(`对话框“${title}”超出窗口：${px(r.left)}–${px(r.right)}`)
    const body = d.querySelector('.el-dialog__body, .el-drawer__body, .el-message-box__content') ?? d
    if (body.scrollWidth > body.clientWidth + 1) out.push(`对话框“${title}”的内容横向超出：${body.scrollWidth} > ${body.clientWidth}`)
  }
  const canvas = document.createElement('canvas').getContext('2d')
  for (const i of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!shown(i) || i.value !== '' || i.placeholder === '') continue
    const cs = getComputedStyle(i)
    canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`
    const need = canvas.measureText(i.placeholder).width
    const room = i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
    if (need > room + 1) out.push(`占位文字被截断：“${i.placeholder}”（需 ${px(need)}px，只有 ${px(room)}px）`)
  }
  // A select's placeholder or chosen value (Element Plus cuts it with an ellipsis).
  for (const s of document.querySelectorAll('.el-select__placeholder')) {
    if (!shown(s)) continue
    if (s.scrollWidth > s.clientWidth + 1) out.push(`选择框的文字被截断：“${text(s)}”（需 ${s.scrollWidth}px，只有 ${s.clientWidth}px）`)
  }
  for (const l of document.querySelectorAll('.el-form-item__label')) {
    if (!shown(l)) continue
    if (l.scrollHeight > l.clientHeight + 1) out.push(`表单标签“${text(l)}”折行，压到下一行`)
  }
  for (const t of document.querySelectorAll('.el-table td .el-tag')) {
    const cell = t.closest('.cell')
    if (!shown(t) || !cell) continue
    const r = t.getBoundingClientRect()
    const c = cell.getBoundingClientRect()
    if (r.left < c.left - 1 || r.right > c.right + 1) out.push(`表格中的标签“${text(t)}”比所在列宽：${px(r.width)} > ${px(c.width)}`)
  }
  return out
}

/** Runs in the page: the computed font-family of the first displayed match of each selector. */
function fontsOf(selectors) {
  const result = {}
  for (const [name, selector, pseudo] of selectors) {
    const el = [...document.querySelectorAll(selector)].find((e) => e.getBoundingClientRect().width > 0)
    result[name] = el ? getComputedStyle(el, pseudo ?? null).fontFamily : null
  }
  return result
}

describe('every screen at 1600×1000 and 1024×768', { timeout: 900_000 }, () => {
  let queue
  let win
  let driver

  before(async () => {
    win = await openWindow('layout')
    ;({ queue, driver } = win)
    await resize(1600, 1000)
  })

  after(() => closeWindow(win))

  async function resize(width, height) {
    await driver.manage().window().setRect({ width, height })
    await waitFor(
      driver,
      async () => (await driver.executeScript('return [innerWidth, innerHeight]')).join() === `${width},${height}`,
      `the page is ${width}×${height}`,
      10_000,
    )
    // Let Element Plus re-measure (tables, auto-sizers, the notice preview).
    await driver.sleep(600)
  }

  /**
   * Shows what is on screen at both sizes: a screenshot of each and the layout checks;
   * returns the problems found, each prefixed with the screen and width.
   */
  async function atSizes(name) {
    const problems = []
    for (const [width, height] of SIZES) {
      await resize(width, height)
      await screenshot(driver, `layout-${name}-${width}`)
      const found = await driver.executeScript(`return (${layoutProblems})()`)
      problems.push(...found.map((p) => `${name} ${width}×${height}：${p}`))
    }
    await resize(1600, 1000)
    return problems
  }

  /** The first displayed dialog or drawer (Element Plus keeps closed ones in the page). */
  async function openOverlay() {
    return waitFor(
      driver,
      async () => {
        for (const el of await driver.findElements(By.css('.el-dialog, .el-drawer'))) if (await el.isDisplayed()) return el
        return false
      },
      'a dialog or drawer opens',
    )
  }

  /** Waits for a displayed match (closed drop-downs of other selects stay in the page). */
  async function shownOne(css) {
    return waitFor(
      driver,
      async () => {
        for (const el of await driver.findElements(By.css(css))) if (await el.isDisplayed()) return el
        return false
      },
      `${css} shown`,
    )
  }

  async function closeOverlay(overlay) {
    await driver.actions().sendKeys(Key.ESCAPE).perform()
    await hidden(driver, overlay)
  }

  it('prepares a year: a long title, the sample returns and the selection', async () => {
    await openScreen(driver, '评选年度', '/campaigns')
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const dialog = await openOverlay()
    await driver.sleep(400) // the dialog's opening animation
    const problems = await atSizes('new-campaign')
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await typeInto(input, YEAR)
    await input.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('create-submit')))
    await hidden(driver, dialog)
    await waitRows(driver, 'campaign-table', (rows) => rows.some((r) => r[0] === YEAR), 'campaign listed')

    await openScreen(driver, '评选方案', '/scheme')
    await visible(driver, byTestId('weight-sum'), 30_000)
    await click(driver, await driver.findElement(By.xpath('//*[contains(@class, "el-tabs__item") and normalize-space()="基本信息"]')))
    const title = await visible(
      driver,
      By.xpath('//*[contains(@class, "el-form-item")][.//label[normalize-space()="评选名称"]]//input'),
    )
    await typeInto(title, TITLE)
    await click(driver, await visible(driver, byTestId('save-scheme')))
    await waitFor(driver, async () => /评选方案已保存/.test(await lastMessages(driver)), 'the title is saved')
    await waitFor(driver, async () => (await textOf(await driver.findElement(byTestId('campaign-select')))).includes(TITLE), 'the selector shows the title')

    await openScreen(driver, '数据导入', '/imports')
    queueDialog(queue, RETURNS)
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(
      driver,
      'pending-table',
      (r) => r.length === RETURNS.length && r.every((c) => c.includes('可导入')),
      'the returns are checked',
      60_000,
    )
    await click(driver, await visible(driver, byTestId('import-start')))
    await visible(driver, byTestId('import-summary'), 120_000)
    await click(driver, await visible(driver, byTestId('import-close')))
    await hidden(driver, byTestId('import-progress'))
    await waitRows(driver, 'imported-files', (r) => r.length === RETURNS.length, 'the files are listed')

    await openScreen(driver, '评选结果', '/results')
    await click(driver, await visible(driver, byTestId('run-selection')))
    await waitRows(driver, 'results-table', (r) => r.length > 0, 'the results are shown', 60_000)
    assert.deepEqual(problems, [])
  })

  it('uses one font for the page, its buttons, inputs, placeholders and pop-ups', async () => {
    await openScreen(driver, '评选结果', '/results')
    await visible(driver, By.css('input[data-testid="result-search"]'))
    // A drop-down list and a date picker are put at the end of the page, outside the screen.
    await click(driver, await visible(driver, byTestId('status-filter')))
    await shownOne('.el-select-dropdown__item')
    const fonts = await driver.executeScript(`return (${fontsOf})(arguments[0])`, [
      ['body', 'body'],
      ['button', '.page-header button'],
      ['input', 'input[data-testid="result-search"]'],
      ['placeholder', 'input[data-testid="result-search"]', '::placeholder'],
      ['option', '.el-select-dropdown__item'],
      ['tag', '.el-tag'],
    ])
    await driver.actions().sendKeys(Key.ESCAPE).perform()

    await openScreen(driver, '复查管理', '/reviews')
    await click(driver, await visible(driver, By.css('[data-testid="review-date"] input')))
    await shownOne('.el-picker-panel')
    Object.assign(
      fonts,
      await driver.executeScript(`return (${fontsOf})(arguments[0])`, [
        ['date picker', '.el-picker-panel'],
        ['date picker button', '.el-picker-panel button'],
      ]),
    )
    await driver.actions().sendKeys(Key.ESCAPE).perform()

    await openScreen(driver, '数据导入', '/imports')
    await waitRows(driver, 'imported-files', (r) => r.length === RETURNS.length, 'the files are listed')
    // The list reloads when the screen opens: find the button when it is there to click.
    await click(driver, await button(driver, '撤回', '[data-testid="imported-files"]'))
    await shownOne('.el-message-box')
    Object.assign(
      fonts,
      await driver.executeScript(`return (${fontsOf})(arguments[0])`, [
        ['message box', '.el-message-box__message'],
        ['message box button', '.el-message-box button'],
      ]),
    )
    await click(driver, await button(driver, '取消', '.el-message-box'))
    // A closed message box leaves the page: wait until none is shown.
    await waitFor(
      driver,
      async () => {
        for (const el of await driver.findElements(By.css('.el-message-box'))) if (await el.isDisplayed()) return false
        return true
      },
      'the message box closes',
    )

    assert.ok(fonts.body, JSON.stringify(fonts))
    assert.doesNotMatch(fonts.body, /楷|Kai/i)
    for (const [what, family] of Object.entries(fonts)) {
      assert.equal(family, fonts.body, `${what}: ${family} (page: ${fonts.body})`)
    }
  })

  it('shows 评选结果 with the override and compare dialogs', async () => {
    await openScreen(driver, '评选结果', '/results')
    await waitRows(driver, 'results-table', (r) => r.length > 0, 'results')
    const problems = await atSizes('results')
    const adjust = await waitFor(
      driver,
      async () => {
        for (const b of await driver.findElements(By.xpath('//*[@data-testid="results-table"]//button[normalize-space()="调整"]'))) {
          if ((await b.isDisplayed()) && (await b.isEnabled())) return b
        }
        return false
      },
      'an enabled 调整 button',
    )
    await click(driver, adjust)
    const override = await openOverlay()
    await driver.sleep(400)
    problems.push(...(await atSizes('results-override')))
    await closeOverlay(override)
    await click(driver, await visible(driver, byTestId('open-compare')))
    const compare = await openOverlay()
    await driver.sleep(400)
    problems.push(...(await atSizes('results-compare')))
    await closeOverlay(compare)
    assert.deepEqual(problems, [])
  })

  it('shows 通知文书 with the whole A4 sheet in its pane', async () => {
    await openScreen(driver, '通知文书', '/notices')
    await visible(driver, byTestId('a4-preview'), 30_000)
    const problems = await atSizes('notices')
    for (const [width, height] of SIZES) {
      await resize(width, height)
      const [frame, pane] = await driver.executeScript(`
        const f = document.querySelector('.a4-frame').getBoundingClientRect()
        const p = document.querySelector('.preview-pane').getBoundingClientRect()
        return [[f.left, f.right], [p.left, p.right]]`)
      assert.ok(frame[0] >= pane[0] && frame[1] <= pane[1], `${width}: the sheet ${frame} lies in its pane ${pane}`)
    }
    await resize(1600, 1000)
    assert.deepEqual(problems, [])
  })

  it('shows 复查管理 with the registry imported and a review run', async () => {
    await openScreen(driver, '复查管理', '/reviews')
    queueDialog(queue, [AWARDS])
    await click(driver, await visible(driver, byTestId('import-registry')))
    assert.match(await textOf(await visible(driver, byTestId('registry-report'), 30_000)), /已导入 16 条/)
    await click(driver, await visible(driver, byTestId('run-review')))
    await visible(driver, byTestId('review-summary'), 30_000)
    const problems = await atSizes('reviews')
    assert.deepEqual(problems, [])
  })

  it('shows 清单台账 with an item, its 新增事项 and 标记完成 dialogs', async () => {
    await openScreen(driver, '清单台账', '/ledger')
    await visible(driver, byTestId('ledger-table'))
    await click(driver, await visible(driver, byTestId('ledger-add')))
    const add = await openOverlay()
    await typeInto(await visible(driver, By.css('input[data-testid="ledger-add-agency"]')), '广州市人民检察院')
    await (await visible(driver, By.css('textarea[data-testid="ledger-add-text"]'))).sendKeys('理论学习流于形式，学习记录不完整')
    await click(driver, await visible(driver, byTestId('ledger-add-submit')))
    // Refused at its field (no deadline): the dialog with its error is part of the layout.
    await visible(driver, By.xpath('//*[@data-testid="ledger-add-dialog"]//*[contains(text(), "须填写整改时限")]'))
    const problems = await atSizes('ledger-add')
    const deadline = await visible(driver, By.css('[data-testid="ledger-add-deadline"] input, input[data-testid="ledger-add-deadline"]'))
    await typeInto(deadline, '2026-01-31')
    await deadline.sendKeys(Key.ENTER)
    await click(driver, await visible(driver, byTestId('ledger-add-submit')))
    await waitFor(driver, async () => !(await add.isDisplayed()), 'the dialog closes')
    await waitRows(driver, 'ledger-table', (r) => r.length === 1, 'the item listed')
    await driver.sleep(400)
    problems.push(...(await atSizes('ledger')))
    await click(driver, await visible(driver, byTestId('ledger-done')))
    const done = await openOverlay()
    await driver.sleep(400)
    problems.push(...(await atSizes('ledger-done')))
    await closeOverlay(done)
    assert.deepEqual(problems, [])
  })

  it('shows 工作台 and 评选年度', async () => {
    await openScreen(driver, '工作台', '/dashboard')
    await visible(driver, byTestId('steps'))
    // The registry import made the result stale: the banner is part of the screen now.
    await visible(driver, byTestId('stale-banner'))
    await driver.sleep(500) // the charts draw
    const problems = await atSizes('dashboard')
    await openScreen(driver, '评选年度', '/campaigns')
    await waitRows(driver, 'campaign-table', (r) => r.length === 1, 'one campaign')
    problems.push(...(await atSizes('campaigns')))
    assert.deepEqual(problems, [])
  })

  it('shows 评选方案 with its quota table and its ranking form', async () => {
    await openScreen(driver, '评选方案', '/scheme')
    await visible(driver, byTestId('weight-sum'))
    const tab = async (label) =>
      click(driver, await driver.findElement(By.xpath(`//*[contains(@class, "el-tabs__item") and normalize-space()="${label}"]`)))
    await tab('指标与权重')
    const problems = await atSizes('scheme')
    await tab('名额规则')
    await waitRows(driver, 'quotas-table', (r) => r.length > 0, 'the quota rules')
    problems.push(...(await atSizes('scheme-quotas')))
    await tab('排名、公示与复查')
    await visible(driver, By.xpath('//label[normalize-space()="撤销称号后几年内不得参评"]'))
    problems.push(...(await atSizes('scheme-ranking')))
    assert.deepEqual(problems, [])
  })

  it('shows 数据导入 with files waiting and the preview drawer', async () => {
    await openScreen(driver, '数据导入', '/imports')
    queueDialog(queue, [BAD_FILE, RETURNS[0]])
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(driver, 'pending-table', (r) => r.length === 2 && r.every((c) => !c.join('').includes('检查中')), 'two files checked', 60_000)
    const problems = await atSizes('imports')
    const details = await driver.findElement(
      By.xpath('//*[@data-testid="pending-table"]//tr[.//*[normalize-space()="openpyxl_bad_rows.xlsx"]]//button[normalize-space()="详情"]'),
    )
    await click(driver, details)
    const drawer = await visible(driver, byTestId('preview-drawer'))
    await driver.sleep(500) // the drawer slides in
    problems.push(...(await atSizes('imports-preview')))
    await closeOverlay(drawer)
    assert.deepEqual(problems, [])
  })

  it('shows 参评单位 and the provenance drawer', async () => {
    await openScreen(driver, '参评单位', '/returns')
    await waitFor(driver, async () => /^共 \d+ 条/.test(await textOf(await driver.findElement(byTestId('returns-count')))), 'returns counted')
    const problems = await atSizes('returns')
    await click(driver, await visible(driver, By.css('[data-testid="returns-table"] .el-table-v2__row')))
    const drawer = await visible(driver, byTestId('return-drawer'))
    await visible(driver, byTestId('return-source'))
    await driver.sleep(500)
    problems.push(...(await atSizes('returns-provenance')))
    await closeOverlay(drawer)
    assert.deepEqual(problems, [])
  })

  it('shows 操作日志 and 设置', async () => {
    await openScreen(driver, '操作日志', '/audit')
    await waitFor(driver, async () => /共 [1-9]\d* 条/.test(await textOf(await driver.findElement(byTestId('audit-count')))), 'events listed')
    const problems = await atSizes('audit')
    await openScreen(driver, '设置', '/settings')
    await visible(driver, By.css('input[data-testid="operator-input"]'))
    problems.push(...(await atSizes('settings')))
    assert.deepEqual(problems, [])
  })

  it('shows 单位查询, an agency page and its 登记问责 dialog', async () => {
    await openScreen(driver, '单位查询', '/agencies')
    await visible(driver, byTestId('agency-count'))
    const problems = await atSizes('agencies')
    // Found and clicked in one script: the table re-renders as the window is resized.
    await waitFor(
      driver,
      () => driver.executeScript(`const a = document.querySelector('[data-testid="agency-table"] a[data-testid="agency-link"]'); if (a) a.click(); return !!a`),
      'an agency link',
    )
    await visible(driver, byTestId('agency-years'))
    await driver.sleep(500)
    problems.push(...(await atSizes('agency')))
    await click(driver, await visible(driver, byTestId('accountability-add')))
    await openOverlay()
    await driver.sleep(400)
    problems.push(...(await atSizes('agency-accountability')))
    // The dialog is destroyed on close: wait for no dialog shown rather than for this element.
    await driver.actions().sendKeys(Key.ESCAPE).perform()
    await waitFor(
      driver,
      () => driver.executeScript(`return ![...document.querySelectorAll('.el-dialog')].some((d) => d.offsetParent !== null)`),
      'the dialog closed',
    )
    assert.deepEqual(problems, [])
  })

  it('shows 监督问责 with a record and its found problem, and the 登记督查 dialog', async () => {
    // The dialogs are destroyed on close: wait for no dialog shown rather than for an element.
    const noDialog = (what) =>
      waitFor(
        driver,
        () => driver.executeScript(`return ![...document.querySelectorAll('.el-dialog')].some((d) => d.offsetParent !== null)`),
        what,
      )
    await openScreen(driver, '监督问责', '/supervision')
    await visible(driver, byTestId('supervision-table'))
    await click(driver, await visible(driver, byTestId('supervision-add')))
    await openOverlay()
    const picker = await visible(driver, By.css('[data-testid="supervision-dialog"] [data-testid="record-agency"] input'))
    await click(driver, picker)
    await picker.sendKeys('广州市人民检察院')
    await click(driver, await shownOne('.el-select-dropdown__item'))
    await (await visible(driver, By.css('input[data-testid="supervision-subject"]'))).sendKeys('基层党建专项督察')
    await driver.sleep(400)
    const problems = await atSizes('supervision-add')
    await click(driver, await visible(driver, byTestId('supervision-save')))
    await noDialog('登记督查 closes')
    await click(driver, await visible(driver, byTestId('found-add')))
    await openOverlay()
    await (await visible(driver, By.css('textarea[data-testid="found-text"]'))).sendKeys('“三会一课”记录不全，组织生活会材料缺失')
    const deadline = await visible(driver, By.css('[data-testid="found-deadline"] input'))
    await typeInto(deadline, '2026-01-31')
    await deadline.sendKeys(Key.ENTER)
    await click(driver, await visible(driver, byTestId('found-save')))
    await noDialog('新增发现问题 closes')
    await visible(driver, byTestId('supervision-found'))
    await driver.sleep(400)
    problems.push(...(await atSizes('supervision')))
    assert.deepEqual(problems, [])
  })

  it('has visited every screen of the side menu', async () => {
    // A screen added to the menu later is checked too, if only as it first opens.
    const seen = ['工作台', '评选年度', '评选方案', '数据导入', '参评单位', '评选结果', '复查管理', '监督问责', '单位查询', '通知文书', '操作日志', '设置']
    const items = await driver.findElements(By.css('[data-testid="side-menu"] > li'))
    const problems = []
    for (const item of items) {
      const label = await textOf(item)
      if (seen.includes(label)) continue
      await click(driver, item)
      await driver.sleep(1500)
      problems.push(...(await atSizes(`menu-${items.indexOf(item) + 1}`)))
    }
    assert.deepEqual(problems, [])
  })
})

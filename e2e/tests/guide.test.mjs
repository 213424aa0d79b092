// A window that guides (issue 11 §4, §9, §12): a fresh database asks for the operator's
// name, 工作台 without a campaign says how to begin, the demo lives beside the real years
// and goes in one step, each key step points to the next, the side menu works from the
// keyboard and the shortcuts are listed in one place.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { By, Key, until } from 'selenium-webdriver'
import { byTestId, closeWindow, hidden, openWindow, screenshot, visible, waitFor } from './harness.mjs'
import { button, click, openScreen, textOf, typeInto, waitRows } from './ui.mjs'

const DEMO_YEAR = '1990'

describe('a window that guides', { timeout: 600_000 }, () => {
  let win
  let driver

  before(async () => {
    // No operator named anywhere: this is a first start.
    win = await openWindow('guide', { env: { MOFAN_OPERATOR: '' } })
    ;({ driver } = win)
  })

  after(() => closeWindow(win))

  /** Presses keys on whatever has the focus. */
  async function press(...keys) {
    await driver.actions({ async: true }).sendKeys(...keys).perform()
  }

  async function active() {
    return driver.switchTo().activeElement()
  }

  it('asks for the operator’s name at first start', async () => {
    const prompt = await visible(driver, byTestId('operator-prompt'), 30_000)
    assert.match(await textOf(prompt), /请填写您的姓名/)
    // A blank name is not taken.
    // Clicked again until the form answers: a click while the dialog is still opening may
    // land before its handler is ready (a blank name changes nothing, however often).
    await waitFor(
      driver,
      async () => {
        await click(driver, await visible(driver, byTestId('operator-prompt-save')))
        return /请填写您的姓名，操作日志/.test(await textOf(prompt))
      },
      'a name is required',
    )
    await typeInto(await visible(driver, By.css('input[data-testid="operator-prompt-input"]')), '李科员')
    await screenshot(driver, 'guide-operator-prompt')
    await click(driver, await visible(driver, byTestId('operator-prompt-save')))
    await hidden(driver, prompt)
  })

  it('explains on 工作台 what to do when there is no campaign, without leaving it', async () => {
    const start = await visible(driver, byTestId('getting-started'))
    const text = await textOf(start)
    assert.match(text, /还没有评选年度/)
    assert.match(text, /新建评选年度/)
    assert.match(text, /不占用任何真实年度/)
    assert.match(await driver.getCurrentUrl(), /#\/dashboard$/)
    await driver.sleep(2500) // let the greeting fade
    await screenshot(driver, 'guide-dashboard-first-start')
  })

  it('reaches the side menu with Tab and opens an entry with Enter', async () => {
    await driver.executeScript('document.activeElement && document.activeElement.blur()')
    let focused = ''
    for (let i = 0; i < 12 && focused !== '工作台'; i++) {
      await press(Key.TAB)
      const el = await active()
      focused = (await el.getAttribute('role')) === 'menuitem' ? await textOf(el) : ''
    }
    assert.equal(focused, '工作台', 'Tab reaches the first menu entry')
    await press(Key.TAB)
    assert.equal(await textOf(await active()), '评选年度')
    await press(Key.ENTER)
    await waitFor(driver, async () => (await driver.getCurrentUrl()).endsWith('#/campaigns'), 'Enter opens 评选年度')
    await screenshot(driver, 'guide-menu-focus')
  })

  it('lists the shortcuts from a button, with ? and with F1', async () => {
    await click(driver, await visible(driver, byTestId('shortcuts-button')))
    const dialog = await visible(driver, byTestId('shortcuts-dialog'))
    const text = await textOf(dialog)
    for (const want of ['全局', 'Ctrl+1 … Ctrl+9', '评选方案', 'Ctrl+S', '数据导入', 'Ctrl+Enter', '操作日志', 'F5']) {
      assert.ok(text.includes(want), `the list shows ${want}`)
    }
    await screenshot(driver, 'guide-shortcuts')
    await press(Key.ESCAPE)
    await hidden(driver, dialog)
    await driver.executeScript('document.activeElement && document.activeElement.blur()')
    await press('?')
    await driver.wait(until.elementIsVisible(dialog), 10_000)
    await press(Key.ESCAPE)
    await hidden(driver, dialog)
    await press(Key.F1)
    await driver.wait(until.elementIsVisible(dialog), 10_000)
    await press(Key.ESCAPE)
    await hidden(driver, dialog)
  })

  it('loads the demo in a year of its own and points to what it is', async () => {
    await openScreen(driver, '工作台', '/dashboard')
    await click(driver, await visible(driver, byTestId('dashboard-load-demo')))
    const select = await visible(driver, byTestId('campaign-select'))
    await waitFor(driver, async () => /【示例】模范机关评选/.test(await textOf(select)), 'the demo is chosen', 60_000)
    await visible(driver, byTestId('demo-tag'))
    const pointer = await visible(driver, byTestId('next-step'))
    assert.match(await textOf(pointer), /不占用真实年度/)
    await visible(driver, By.css('[data-testid="score-chart"] canvas'), 30_000)
    await driver.sleep(300)
    await screenshot(driver, 'guide-demo-dashboard')
  })

  it('creates the real 2026 beside the demo and points to the import of returns', async () => {
    await openScreen(driver, '评选年度', '/campaigns')
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await typeInto(input, '2026')
    await input.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('create-submit')))
    const rows = await waitRows(driver, 'campaign-table', (r) => r.length === 2, 'the demo and 2026 listed')
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['2026', '示例'],
    )
    assert.match(rows[1][1], /【示例】模范机关评选/)
    const pointer = await visible(driver, byTestId('next-step'))
    await waitFor(driver, async () => /已新建2026年度模范机关评选/.test(await textOf(pointer)), 'the pointer names the new year')
    assert.match(await textOf(pointer), /下一步：导入各单位报送的申报表/)
    await driver.sleep(2500)
    await screenshot(driver, 'guide-created-next-step')
  })

  it('deletes the demo in one step after naming what goes with it', async () => {
    await click(driver, await visible(driver, byTestId(`delete-campaign-${DEMO_YEAR}`)))
    const box = await visible(driver, By.css('.el-message-box'))
    const text = await textOf(box)
    assert.match(text, /【示例】模范机关评选/)
    assert.match(text, /申报48条/)
    assert.match(text, /虚构的命名记录4条/)
    await screenshot(driver, 'guide-delete-demo')
    await click(driver, await button(driver, '删除', '.el-message-box'))
    const rows = await waitRows(driver, 'campaign-table', (r) => r.length === 1, 'only 2026 is left')
    assert.equal(rows[0][0], '2026')
    // 2026 is a draft: it may be deleted, which is offered; the pointer is still there.
    assert.equal((await driver.findElements(byTestId('delete-campaign-2026'))).length, 1)
    await click(driver, await visible(driver, byTestId('next-step-go-imports')))
    await waitFor(driver, async () => (await driver.getCurrentUrl()).endsWith('#/imports'), 'the pointer leads to 数据导入')
  })

  it('records the name asked for in the log, and the deletion', async () => {
    await openScreen(driver, '操作日志', '/audit')
    const rows = await waitRows(driver, 'audit-table', (r) => r.length > 0 && r[0][4] === '删除评选年度', 'the deletion is logged')
    assert.equal(rows[0][3], '李科员')
    assert.match(rows[0][5], /虚构的命名记录4条/)
  })

  it('fits 1024×768', async () => {
    await driver.manage().window().setRect({ width: 1024, height: 768 })
    await openScreen(driver, '评选年度', '/campaigns')
    await waitRows(driver, 'campaign-table', (r) => r.length === 1, 'listed')
    await screenshot(driver, 'guide-campaigns-1024')
    await click(driver, await visible(driver, byTestId('shortcuts-button')))
    await visible(driver, byTestId('shortcuts-dialog'))
    await screenshot(driver, 'guide-shortcuts-1024')
    await press(Key.ESCAPE)
  })
})

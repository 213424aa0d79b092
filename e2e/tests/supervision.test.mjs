// 监督问责 through the real window, on a year prepared with the command line (the sample
// returns of 广州市, a supervision of one agency already recorded): the screen listing it; a
// 登记督查 for another agency chosen in the dialog, first refused at its field (no subject)
// and storing nothing; 新增发现问题 on that record with a past deadline, listed under it as
// 逾期; the agency link to the agency page showing the item; the item in 清单台账; a 登记问责
// of a cadre's kind without the cadre refused at 被问责人, then stored and listed in 问责记录;
// the agency filter keeping one agency's records.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, mofan, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { click, openScreen, typeInto, waitRows } from './ui.mjs'

const RETURNS = join(repoRoot, 'tests', 'fixtures', 'samples', '00_广州市.xlsx')
/** The agency registered here. */
const AGENCY = '广州市人民检察院'
/** The agency with a record before the window opens. */
const OTHER = '广州市市场监督管理局'

/** A day `n` days from today, as YYYY-MM-DD (the found items' statuses are on today). */
function day(n) {
  const d = new Date()
  d.setDate(d.getDate() + n)
  const p = (x) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

describe('监督问责 in the window', { timeout: 300_000 }, () => {
  let win
  let driver

  before(async () => {
    win = await openWindow('supervision', {
      prepare: ({ db }) => {
        mofan(db, 'campaign', 'create', '--year', '2026')
        mofan(db, 'import', '--campaign', '2026', RETURNS)
        mofan(db, 'supervision', 'add', '--agency', OTHER, '--kind', '书面问询', '--date', day(-60), '--subject', '书面问询整改落实情况')
      },
      size: [1600, 1000],
    })
    ;({ driver } = win)
  })

  after(() => closeWindow(win))

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

  /** Waits until the dialog with this test id is closed and its overlay has faded out. */
  async function closed(testId) {
    await waitFor(
      driver,
      async () =>
        driver.executeScript(
          `const el = document.querySelector('[data-testid="' + arguments[0] + '"]');
           const gone = !el || el.offsetParent === null || getComputedStyle(el).display === 'none';
           const overlays = [...document.querySelectorAll('.el-overlay')].filter((o) => getComputedStyle(o).display !== 'none');
           return gone && overlays.length === 0;`,
          testId,
        ),
      `${testId} closed`,
      10_000,
    )
  }

  async function setDate(testId, value) {
    const input = await visible(driver, By.css(`input[data-testid="${testId}"], [data-testid="${testId}"] input`))
    await typeInto(input, value)
    await input.sendKeys(Key.ENTER)
  }

  /** The rows of a plain Element Plus table, as cell texts (only the shown tab's). */
  async function rowsOf(testId) {
    return driver.executeScript(
      `const t = document.querySelector('[data-testid="' + arguments[0] + '"]')
       if (!t || t.offsetParent === null) return []
       return [...t.querySelectorAll('.el-table__body tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))`,
      testId,
    )
  }

  async function tableRows(testId, predicate, message) {
    return waitFor(
      driver,
      async () => {
        const rows = await rowsOf(testId)
        return predicate(rows) && rows
      },
      message,
    )
  }

  /** The error Element Plus shows under the form item labelled `label` in dialog `testId`. */
  async function fieldError(testId, label) {
    const el = await visible(
      driver,
      By.xpath(`//*[@data-testid="${testId}"]//*[contains(@class, "el-form-item") and .//label[normalize-space()="${label}"]]//*[contains(@class, "el-form-item__error")]`),
    )
    return (await el.getText()).trim()
  }

  /** Chooses the agency in a dialog's picker by typing a part of its name. */
  async function chooseAgency(dialog, name) {
    const input = await visible(driver, By.css(`[data-testid="${dialog}"] [data-testid="record-agency"] input, [data-testid="${dialog}"] input[data-testid="record-agency"]`))
    await click(driver, input)
    await input.sendKeys(name)
    await click(driver, await shownOption(`.//span[normalize-space()="${name}"]`))
  }

  /** The displayed option of an open drop-down matching `xpath` (closed drop-downs stay in the page). */
  async function shownOption(xpath) {
    return waitFor(
      driver,
      async () => {
        for (const el of await driver.findElements(By.xpath(`//li[contains(@class, "el-select-dropdown__item") and ${xpath}]`))) {
          if (await el.isDisplayed()) return el
        }
        return false
      },
      `an option ${xpath}`,
    )
  }

  const tab = async (label) =>
    click(driver, await visible(driver, By.xpath(`//*[contains(@class, "el-tabs__item") and starts-with(normalize-space(), "${label}")]`)))

  it('lists the supervision recorded before', async () => {
    await openScreen(driver, '监督问责', '/supervision')
    const rows = await tableRows('supervision-table', (r) => r.length === 1 && r[0].length > 1, 'one record')
    assert.deepEqual(rows[0].slice(0, 3), [day(-60), OTHER, '书面问询'])
    assert.match(rows[0][3], /书面问询整改落实情况/)
    assert.equal(rows[0][4], '—')
    await screenshot(driver, 'supervision-screen')
  })

  it('registers a supervision of an agency chosen in the dialog, refused first at its field', async () => {
    await click(driver, await visible(driver, byTestId('supervision-add')))
    await visible(driver, byTestId('supervision-dialog'))
    await click(driver, await visible(driver, byTestId('supervision-save')))
    assert.equal(await fieldError('supervision-dialog', '被督查单位'), '请选择被督查单位')
    await chooseAgency('supervision-dialog', AGENCY)
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="supervision-kind"]//*[normalize-space()="专项督察"]')))
    await setDate('supervision-date', day(-30))
    // No subject: the core refuses it at 督查事由, and nothing is stored.
    await click(driver, await visible(driver, byTestId('supervision-save')))
    assert.equal(await fieldError('supervision-dialog', '督查事由'), '督查事由不能为空')
    await screenshot(driver, 'supervision-dialog-refused')
    assert.equal((await rowsOf('supervision-table')).length, 1)
    await (await visible(driver, By.css('input[data-testid="supervision-subject"]'))).sendKeys('基层党建专项督察')
    await (await visible(driver, By.css('textarea[data-testid="supervision-content"]'))).sendKeys('“三会一课”记录不全')
    await click(driver, await visible(driver, byTestId('supervision-save')))
    await closed('supervision-dialog')
    const rows = await tableRows('supervision-table', (r) => r.length === 2, 'two records')
    // Newest first.
    assert.deepEqual(rows[0].slice(0, 3), [day(-30), AGENCY, '专项督察'])
    assert.match(rows[0][3], /基层党建专项督察\s*“三会一课”记录不全/)
    await waitText('supervision-tabs', /督查记录（2）/)
  })

  it('adds a problem found in it with a past deadline, shown under the record as 逾期', async () => {
    const add = await visible(
      driver,
      By.xpath(`//*[@data-testid="supervision-table"]//tr[.//a[normalize-space()="${AGENCY}"]]//button[@data-testid="found-add"]`),
    )
    await click(driver, add)
    await visible(driver, byTestId('found-dialog'))
    await waitText('found-dialog', new RegExp(`${AGENCY}：${day(-30)} 专项督察“基层党建专项督察”`))
    await (await visible(driver, By.css('textarea[data-testid="found-text"]'))).sendKeys('“三会一课”记录不全')
    await (await visible(driver, By.css('textarea[data-testid="found-measures"]'))).sendKeys('补齐会议记录，建立台账')
    await (await visible(driver, By.css('input[data-testid="found-owner"]'))).sendKeys('李四')
    await setDate('found-deadline', day(-3))
    await screenshot(driver, 'supervision-found-dialog')
    await click(driver, await visible(driver, byTestId('found-save')))
    await closed('found-dialog')
    const rows = await tableRows('supervision-table', (r) => r.length === 2 && r[0][4] !== '—', 'the found item listed')
    assert.match(rows[0][4], new RegExp(`^逾期\\s*“三会一课”记录不全（时限${day(-3)}）$`))
    const tag = await driver.findElement(By.css('[data-testid="supervision-found"] .el-tag'))
    assert.match(await tag.getAttribute('class'), /el-tag--danger/)
    await screenshot(driver, 'supervision-found')
  })

  it('opens the agency page from the record and shows the item there and in 清单台账', async () => {
    await click(driver, await visible(driver, By.xpath(`//*[@data-testid="supervision-table"]//a[@data-testid="agency-link" and normalize-space()="${AGENCY}"]`)))
    await waitFor(driver, async () => /#\/agencies\/\d+$/.test(await driver.getCurrentUrl()), 'the agency page')
    await waitText('agency-ledger', /“三会一课”记录不全[\s\S]*逾期/)
    await waitText('agency-supervision', /基层党建专项督察[\s\S]*逾期\s*“三会一课”记录不全/)
    await driver.executeScript('document.querySelector(\'[data-testid="agency-supervision"]\').scrollIntoView()')
    await screenshot(driver, 'supervision-agency-page')
    await openScreen(driver, '清单台账', '/ledger')
    const rows = await waitRows(driver, 'ledger-table', (r) => r.length === 1, 'the item in the ledger')
    assert.deepEqual(rows[0].slice(0, 4), ['逾期', AGENCY, '问题清单', '“三会一课”记录不全'])
  })

  it('refuses a cadre’s kind without the cadre at 被问责人, then lists the record in 问责记录', async () => {
    await openScreen(driver, '监督问责', '/supervision')
    await tableRows('supervision-table', (r) => r.length === 2, 'two records')
    await click(driver, await visible(driver, byTestId('accountability-add')))
    await visible(driver, byTestId('accountability-dialog'))
    await chooseAgency('accountability-dialog', AGENCY)
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="accountability-target"]//*[normalize-space()="领导干部"]')))
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="accountability-kind"]//*[normalize-space()="诫勉"]')))
    await setDate('accountability-date', day(-10))
    await (await visible(driver, By.css('textarea[data-testid="accountability-reason"]'))).sendKeys('督察发现问题整改不力')
    await click(driver, await visible(driver, byTestId('accountability-save')))
    assert.match(await fieldError('accountability-dialog', '被问责人'), /“诫勉”是对领导干部的问责方式，请填写被问责人/)
    await screenshot(driver, 'supervision-accountability-refused')
    await (await visible(driver, By.css('input[data-testid="accountability-person"]'))).sendKeys('张三')
    await click(driver, await visible(driver, byTestId('accountability-save')))
    await closed('accountability-dialog')
    await tab('问责记录')
    const rows = await tableRows('accountability-table', (r) => r.length === 1 && r[0].length > 1, 'the accountability listed')
    assert.deepEqual(rows[0].slice(0, 5), [day(-10), AGENCY, '张三', '诫勉', '督察发现问题整改不力'])
    await screenshot(driver, 'supervision-accountability')
  })

  it('keeps one agency’s records under the agency filter', async () => {
    await tab('督查记录')
    const input = await visible(driver, By.css('[data-testid="supervision-filter-agency"] input, input[data-testid="supervision-filter-agency"]'))
    await click(driver, input)
    await click(driver, await shownOption(`normalize-space()="${OTHER}"`))
    const rows = await tableRows('supervision-table', (r) => r.length === 1, 'one agency’s record')
    assert.equal(rows[0][1], OTHER)
    await waitText('supervision-tabs', /督查记录（1）[\s\S]*问责记录（0）/)
  })
})

// 清单台账 through the real window: 通知文书 before any campaign (the 情况通报 alone), a year
// with the sample returns (the agencies a ledger names), a ledger workbook made here with one bad row — checked, the error placed, imported
// in part —, the overdue problems filtered, one marked done with evidence (tomorrow refused
// at its date first), one added by hand (refused first at its field), its history, the
// ledger workbook exported, the selection run on a 评选基准日 before the deadlines and on
// today, the dashboard's counts changed and linking back, and the 情况通报 previewed in 通知文书.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { button, click, lastMessages, openScreen, queueDialog, tableRows, typeInto, waitRows } from './ui.mjs'
import { readXlsx, writeXlsx } from './xlsx.mjs'

const RETURNS = join(repoRoot, 'tests', 'fixtures', 'samples', '00_广州市.xlsx')
const AGENCY = '广州市人民检察院'
const OTHER = '广州市市场监督管理局'

/** A day `n` days from today, as YYYY-MM-DD (the statuses are on today). */
function day(n) {
  const d = new Date()
  d.setDate(d.getDate() + n)
  const p = (x) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

describe('清单台账 in the window', { timeout: 900_000 }, () => {
  let tmp
  let queue
  let win
  let driver
  let ledgerFile

  before(async () => {
    win = await openWindow('ledger', {
      prepare: ({ tmp }) => {
        ledgerFile = join(tmp, '问题整改台账.xlsx')
        // Two overdue problems, one due in three days, and a row naming no known agency (row 5).
        writeXlsx(ledgerFile, '问题清单', [
          ['单位名称', '清单类型', '问题描述', '整改措施', '责任人', '整改时限'],
          [AGENCY, '问题清单', '理论学习流于形式', '制定学习计划', '张三', day(-20)],
          [OTHER, '问题清单', '经费报销审批不严', '修订报销制度', '李四', day(-5)],
          [AGENCY, '问题清单', '档案管理不规范', '集中整理档案', '王五', day(3)],
          ['广州市检察院', '问题清单', '会议记录不完整', '规范会议记录', '赵六', day(30)],
        ])
      },
      size: [1600, 1000],
    })
    ;({ tmp, queue, driver } = win)
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

  async function setDate(testId, value) {
    const input = await visible(driver, By.css(`input[data-testid="${testId}"], [data-testid="${testId}"] input`))
    await typeInto(input, value)
    await input.sendKeys(Key.ENTER)
    await driver.sleep(300)
  }

  async function closed(testId) {
    await waitFor(
      driver,
      async () =>
        driver.executeScript(
          `const el = document.querySelector('[data-testid="' + arguments[0] + '"]');
           return !el || el.offsetParent === null || getComputedStyle(el).display === 'none';`,
          testId,
        ),
      `${testId} closed`,
      10_000,
    )
    await driver.sleep(400)
  }

  /** The ledger table's rows as [status, agency, list, text, deadline, days, …]. */
  const rows = (predicate, message) => waitRows(driver, 'ledger-table', predicate, message)

  it('offers the 情况通报 before there is any campaign, and says the other notices need one', async () => {
    await openScreen(driver, '通知文书', '/notices')
    await waitText('notice-no-campaign', /公示、命名决定、撤销通知和整改通知书须先在“评选年度”中新建本年度的评选/)
    await visible(driver, byTestId('notice-bulletin-date'))
    // The ledger is empty: the bulletin's own refusal, not a demand for a campaign.
    await waitText('notice-source-error', /没有逾期或即将到期的问题，无需通报/)
    const disabled = await driver.executeScript(
      `return [...document.querySelectorAll('[data-testid="notice-kind"] .el-radio-button')]
         .filter((b) => b.classList.contains('is-disabled')).map((b) => b.innerText.trim())`,
    )
    assert.deepEqual(disabled, ['公示', '命名决定', '撤销通知', '整改通知书'])
    await screenshot(driver, 'notices-no-campaign')
    await openScreen(driver, '评选年度', '/campaigns')
  })

  it('creates the year and imports the sample returns', async () => {
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await typeInto(input, '2026')
    await input.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('create-submit')))
    await waitRows(driver, 'campaign-table', (r) => r.some((c) => c[0] === '2026'), 'campaign listed')
    await openScreen(driver, '数据导入', '/imports')
    queueDialog(queue, [RETURNS])
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(driver, 'pending-table', (r) => r.length === 1 && r[0][1] === '可导入', 'returns checked', 60_000)
    await click(driver, await visible(driver, byTestId('import-start')))
    await visible(driver, byTestId('import-summary'), 120_000)
    await click(driver, await visible(driver, byTestId('import-close')))
    await openScreen(driver, '工作台', '/dashboard')
    await waitText('ledger-counts', /没有逾期或即将到期的问题/)
  })

  it('checks a ledger workbook, places its bad row and imports the rest', async () => {
    await openScreen(driver, '清单台账', '/ledger')
    await visible(driver, byTestId('ledger-table'))
    queueDialog(queue, [ledgerFile])
    await click(driver, await visible(driver, byTestId('ledger-import')))
    await visible(driver, byTestId('ledger-import-dialog'))
    const check = await waitText('ledger-check', /有错误[\s\S]*共4行，可导入3行/, 30_000)
    assert.match(check, /工作表“问题清单”第5行A列/)
    assert.match(check, /没有名为“广州市检察院”的单位/)
    await screenshot(driver, 'ledger-import-check')
    // Whole-file import sends nothing; in part, the three correct rows.
    assert.equal(await (await byButton('ledger-import-run')).isEnabled(), false)
    await click(driver, await visible(driver, byTestId('ledger-partial')))
    await click(driver, await visible(driver, byTestId('ledger-import-run')))
    await closed('ledger-import-dialog')
    await waitFor(driver, async () => /已导入1个文件，3项台账事项/.test(await lastMessages(driver)), 'import message')
    const all = await rows((r) => r.length === 3, 'three items')
    const byText = (t) => all.find((r) => r[3] === t)
    assert.deepEqual(byText('理论学习流于形式').slice(0, 3), ['逾期', AGENCY, '问题清单'])
    assert.equal(byText('理论学习流于形式')[5], '逾期20天')
    assert.equal(byText('档案管理不规范')[0], '即将到期')
    assert.equal(byText('档案管理不规范')[5], '剩3天')
    assert.match(byText('经费报销审批不严')[9], /《问题整改台账\.xlsx》工作表“问题清单”第3行/)
    await waitText('ledger-status', /逾期 2[\s\S]*即将到期 1[\s\S]*未完成 0[\s\S]*已完成 0/)
    await screenshot(driver, 'ledger-table')
  })

  /**
   * The action button `testId` of the row whose 事项内容 is `text`: the actions column is
   * fixed at the right, drawn as a table of its own, so the row is found at the same height.
   */
  async function actionOf(text, testId) {
    const el = await driver.executeScript(
      `const main = [...document.querySelectorAll('[data-testid="ledger-table"] .el-table-v2__main .el-table-v2__row')]
         .find((r) => [...r.querySelectorAll('.el-table-v2__row-cell')].some((c) => c.innerText.trim() === arguments[0]));
       if (!main) return null;
       const top = main.getBoundingClientRect().top;
       const right = [...document.querySelectorAll('[data-testid="ledger-table"] .el-table-v2__right .el-table-v2__row')]
         .find((r) => Math.abs(r.getBoundingClientRect().top - top) < 2);
       return right ? right.querySelector('[data-testid="' + arguments[1] + '"]') : null;`,
      text,
      testId,
    )
    assert.ok(el, `${testId} of ${text}`)
    return el
  }

  async function byButton(testId) {
    return visible(driver, byTestId(testId))
  }

  it('filters to the overdue and marks one done with evidence', async () => {
    await click(driver, await visible(driver, byTestId('ledger-status-overdue')))
    await rows((r) => r.length === 2 && r.every((c) => c[0] === '逾期'), 'the overdue')
    await screenshot(driver, 'ledger-overdue')
    await click(driver, await actionOf('理论学习流于形式', 'ledger-done'))
    await visible(driver, byTestId('ledger-done-dialog'))
    await (await visible(driver, By.css('textarea[data-testid="ledger-done-evidence"]'))).sendKeys('已整改，学习计划已印发')
    // Tomorrow is refused at 完成时间, naming the date, as the import refuses it.
    await setDate('ledger-done-date', day(1))
    await click(driver, await visible(driver, byTestId('ledger-done-submit')))
    await waitText('ledger-done-date-item', new RegExp(`完成日期${day(1)}晚于今天（${day(0)}）`))
    await driver.sleep(400) // the message slides in under the field
    await screenshot(driver, 'ledger-done-future')
    await setDate('ledger-done-date', day(0))
    await screenshot(driver, 'ledger-done-dialog')
    await click(driver, await visible(driver, byTestId('ledger-done-submit')))
    await closed('ledger-done-dialog')
    await rows((r) => r.length === 1 && r[0][3] === '经费报销审批不严', 'one overdue left')
    await waitText('ledger-status', /逾期 1[\s\S]*已完成 1/)
  })

  it('adds one by hand, refused first at its field', async () => {
    await click(driver, await visible(driver, byTestId('ledger-add')))
    await visible(driver, byTestId('ledger-add-dialog'))
    await typeInto(await visible(driver, By.css('input[data-testid="ledger-add-agency"]')), OTHER)
    await (await visible(driver, By.css('textarea[data-testid="ledger-add-text"]'))).sendKeys('党建工作台账不全')
    await click(driver, await visible(driver, byTestId('ledger-add-submit')))
    await waitText('ledger-add-dialog', /问题清单的事项须填写整改时限/)
    await driver.sleep(500)
    await screenshot(driver, 'ledger-add-refused')
    await setDate('ledger-add-deadline', day(-2))
    await click(driver, await visible(driver, byTestId('ledger-add-submit')))
    await closed('ledger-add-dialog')
    const r = await rows((x) => x.length === 2, 'two overdue')
    const added = r.find((c) => c[3] === '党建工作台账不全')
    assert.equal(added[5], '逾期2天')
    assert.match(added[9], /手工录入（王科员）/)
  })

  it('shows the history of the item marked done', async () => {
    await click(driver, await visible(driver, byTestId('ledger-status-done')))
    await rows((r) => r.length === 1 && r[0][0] === '已完成', 'the done item')
    await click(driver, await actionOf('理论学习流于形式', 'ledger-history-open'))
    const text = await waitText('ledger-history', /标记完成[\s\S]*完成时间：（空） → \d{4}-\d{2}-\d{2}[\s\S]*完成情况：（空） → 已整改，学习计划已印发/)
    assert.match(text, /王科员/)
    await screenshot(driver, 'ledger-history')
    await driver.actions().sendKeys(Key.ESCAPE).perform()
    await closed('ledger-history')
  })

  it('exports the ledger workbook', async () => {
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="ledger-status"]//*[starts-with(normalize-space(), "全部")]')))
    await rows((r) => r.length === 4, 'every item')
    const out = join(tmp, '台账.xlsx')
    queueDialog(queue, [out])
    await click(driver, await visible(driver, byTestId('ledger-export')))
    await waitFor(driver, async () => existsSync(out), 'the workbook written', 20_000)
    const book = readXlsx(out)
    assert.deepEqual(Object.keys(book).slice(0, 1), ['汇总'])
    assert.ok(Object.keys(book).includes('问题清单'), Object.keys(book).join(','))
    const problems = book['问题清单'].flat().join('|')
    for (const t of ['理论学习流于形式', '经费报销审批不严', '档案管理不规范', '党建工作台账不全']) assert.ok(problems.includes(t), t)
  })

  /** The reasons of `name`'s result, looking through every pool with the search set to it. */
  async function reasonsOf(name) {
    await typeInto(await visible(driver, By.css('input[data-testid="result-search"]')), name)
    while (await (await visible(driver, byTestId('pool-prev'))).isEnabled()) {
      await click(driver, await visible(driver, byTestId('pool-prev')))
      await driver.sleep(300)
    }
    for (;;) {
      await driver.sleep(300)
      const row = (await tableRows(driver, 'results-table')).find((r) => r[1] === name)
      if (row) return row[4]
      const next = await visible(driver, byTestId('pool-next'))
      assert.ok(await next.isEnabled(), `${name} in no pool`)
      await click(driver, next)
    }
  }

  it('runs the selection on a 评选基准日: overdue problems bar only once their deadline passed', async () => {
    await openScreen(driver, '评选结果', '/results')
    await visible(driver, byTestId('results-not-run'))
    const ineligible = async () => Number((await textAt('result-counts')).match(/不符合条件 (\d+)/)[1])
    // Ten days ago 经费报销审批不严 (due 5 days ago) and 党建工作台账不全 (2 days ago) were not overdue.
    await setDate('run-date', day(-10))
    await click(driver, await visible(driver, byTestId('run-selection')))
    await waitText('run-line', new RegExp(`；评选基准日：${day(-10)}$`), 60_000)
    const earlier = await ineligible()
    assert.doesNotMatch(await reasonsOf(OTHER), /逾期/)
    await setDate('run-date', day(0))
    await click(driver, await visible(driver, byTestId('run-selection')))
    await waitText('run-line', new RegExp(`；评选基准日：${day(0)}$`), 60_000)
    assert.equal(await ineligible(), earlier + 1)
    assert.match(await reasonsOf(OTHER), /有2项逾期未整改问题/)
    await screenshot(driver, 'results-reference-date')
  })

  it('counts the overdue and due-soon problems on the dashboard and links to them', async () => {
    await openScreen(driver, '工作台', '/dashboard')
    await waitText('ledger-counts', /逾期问题2项，7天内到期1项[\s\S]*逾期问题 2[\s\S]*即将到期 1/)
    await screenshot(driver, 'ledger-dashboard')
    await click(driver, await visible(driver, byTestId('ledger-overdue')))
    await waitFor(driver, async () => (await driver.getCurrentUrl()).includes('/ledger'), 'to the ledger')
    await rows((r) => r.length === 2 && r.every((c) => c[0] === '逾期'), 'the overdue problems')
  })

  it('previews the 情况通报 of the day', async () => {
    await openScreen(driver, '通知文书', '/notices')
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="notice-kind"]//*[normalize-space()="情况通报"]')))
    await visible(driver, byTestId('notice-bulletin-date'))
    const sheet = await waitText('a4-preview', /问题整改情况的通报[\s\S]*经费报销审批不严/, 20_000)
    assert.match(sheet, /党建工作台账不全/)
    assert.ok(!sheet.includes('理论学习流于形式'), 'a problem done is not in the bulletin')
    await screenshot(driver, 'ledger-bulletin')
    // Before the first deadline nothing is overdue or due soon: the refusal instead.
    await setDate('notice-bulletin-date', day(-40))
    await waitText('notice-source-error', /没有逾期或即将到期的问题，无需通报/)
  })
  it('withdraws an imported ledger file: its item goes; an earlier file whose item changed since is refused', async () => {
    const later = join(tmp, '补报台账.xlsx')
    writeXlsx(later, '问题清单', [
      ['单位名称', '清单类型', '问题描述', '整改时限'],
      [AGENCY, '问题清单', '公文处理不及时', day(60)],
    ])
    await openScreen(driver, '清单台账', '/ledger')
    queueDialog(queue, [later])
    await click(driver, await visible(driver, byTestId('ledger-import')))
    await waitText('ledger-check', /可导入[\s\S]*共1行，可导入1行/, 30_000)
    await click(driver, await visible(driver, byTestId('ledger-import-run')))
    await closed('ledger-import-dialog')
    await rows((r) => r.length === 5, 'five items')
    await click(driver, await visible(driver, byTestId('ledger-files')))
    await waitRows(driver, 'ledger-file-list', (r) => r.length === 2, 'two files')
    await driver.sleep(600) // the drawer slides in: a click before it settles lands elsewhere
    // The first file's 理论学习流于形式 was marked done since: refused, naming it.
    const first = '//*[@data-testid="ledger-file-list"]//tr[.//*[normalize-space()="问题整改台账.xlsx"]]//button[normalize-space()="撤回"]'
    await click(driver, await visible(driver, By.xpath(first)))
    await click(driver, await button(driver, '撤回', '.el-message-box'))
    await waitFor(driver, async () => /不能撤回[\s\S]*理论学习流于形式[\s\S]*标记完成/.test(await lastMessages(driver)), 'the refusal')
    const second = '//*[@data-testid="ledger-file-list"]//tr[.//*[normalize-space()="补报台账.xlsx"]]//button[normalize-space()="撤回"]'
    await click(driver, await visible(driver, By.xpath(second)))
    await click(driver, await button(driver, '撤回', '.el-message-box'))
    await waitRows(driver, 'ledger-file-list', (r) => r[1]?.[3] === '已撤回', 'withdrawn')
    await waitFor(driver, async () => /已撤回《补报台账\.xlsx》：删除事项 1 项/.test(await lastMessages(driver)), 'the message')
    await driver.sleep(800) // the confirmation fades out
    await screenshot(driver, 'ledger-withdraw')
    await driver.actions().sendKeys(Key.ESCAPE).perform()
    await closed('ledger-files-drawer')
    const left = await rows((r) => r.length === 4, 'four items again')
    assert.ok(!left.some((r) => r[3] === '公文处理不及时'), 'the withdrawn item is gone')
  })
})

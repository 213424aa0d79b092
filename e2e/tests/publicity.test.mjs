// 公示异议 through the real window: a year under the default scheme with the sample returns,
// the selection run, a first round of 公示 in the past (so it has ended), an objection with
// an objector's name upheld — the unit excluded, the run changed and the unit that moved up
// named as not yet publicised — 发布 refused with the core's reasons, a supplementary round
// (also ended), 发布 then possible; the test holiday arrangement imported in 设置; the 公示
// notice previewed. The objector's name is looked for in every screen's text afterwards.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { button, chooseOption, click, lastMessages, openScreen, queueDialog, typeInto, waitRows } from './ui.mjs'

const fixtures = join(repoRoot, 'tests', 'fixtures')
const RETURNS = ['00_广州市.xlsx', '01_广州市海珠区.xlsx', '02_广州市番禺区.xls', '03_广州市越秀区.xlsx'].map((f) =>
  join(fixtures, 'samples', f),
)
const CALENDAR = join(fixtures, 'calendar', 'test-data.toml')
/** The objector's name: kept in the database, shown nowhere after the dialog. */
const OBJECTOR = '李秘密'
/** The unit objected to (a city-level unit the sample returns select). */
const OBJECTED = '广州市人民检察院'

describe('公示与异议 in the window', { timeout: 600_000 }, () => {
  let queue
  let win
  let driver
  /** The unit that moved up into the seat of the one excluded. */
  let movedUp

  before(async () => {
    win = await openWindow('publicity', { size: [1600, 1000] })
    ;({ queue, driver } = win)
  })

  after(() => closeWindow(win))

  /** The input of an Element Plus date picker (its test id lands on the input or its wrapper). */
  async function dateInput(testId) {
    return visible(driver, By.css(`input[data-testid="${testId}"], [data-testid="${testId}"] input`))
  }

  /** Types a day into a date picker and leaves it. */
  async function setDate(testId, day) {
    const input = await dateInput(testId)
    await typeInto(input, day)
    await input.sendKeys(Key.ENTER)
    await driver.sleep(300)
  }

  /**
   * The text of the element with this test id, read in one script when it is asked for:
   * the panel re-renders after every action, so a found element may be gone a moment later.
   */
  async function textAt(testId) {
    return String(
      await driver.executeScript(
        'return document.querySelector(`[data-testid="${arguments[0]}"]`)?.innerText?.trim() ?? ""',
        testId,
      ),
    )
  }

  /** The text of the element with this test id, once it is shown. */
  async function visibleText(testId) {
    await visible(driver, byTestId(testId))
    return textAt(testId)
  }

  /** Waits until the text of the element with this test id matches `pattern`; returns it. */
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

  /**
   * Waits until the dialog with this test id is closed: hidden, or gone (a dialog destroyed
   * on close leaves no element to ask about).
   */
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
    // The overlay fades out after the dialog.
    await driver.sleep(400)
  }

  /** The whole window's text, with no objector in it. */
  async function assertNoObjector(where) {
    const text = String(await driver.executeScript('return document.body.innerText'))
    assert.ok(!text.includes(OBJECTOR), `${where}: the objector's name is on screen`)
  }

  /** Opens the round dialog on `day` and waits for the plan; returns its text. */
  async function startRound(day, expectLine) {
    await click(driver, await visible(driver, byTestId('publicity-start')))
    await visible(driver, byTestId('publicity-start-dialog'))
    await setDate('publicity-from', day)
    const plan = await waitText('publicity-plan', expectLine)
    return plan
  }

  it('creates the year, imports the sample returns and runs the selection', async () => {
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await typeInto(input, '2026')
    await input.sendKeys(Key.TAB)
    await click(driver, await visible(driver, byTestId('create-submit')))
    await waitRows(driver, 'campaign-table', (rows) => rows.some((r) => r[0] === '2026'), 'campaign listed')

    await openScreen(driver, '数据导入', '/imports')
    queueDialog(queue, RETURNS)
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(driver, 'pending-table', (r) => r.length === 4 && r.every((c) => c[1] === '可导入'), 'returns checked', 60_000)
    await click(driver, await visible(driver, byTestId('import-start')))
    await visible(driver, byTestId('import-summary'), 120_000)
    await click(driver, await visible(driver, byTestId('import-close')))

    await openScreen(driver, '评选结果', '/results')
    await click(driver, await visible(driver, byTestId('run-selection')))
    await visible(driver, byTestId('result-counts'), 60_000)
    // Near 发布: why it is not possible yet.
    await waitText('results-publicity-blocks', /暂不能发布：尚未公示（评选方案要求公示5个工作日），请先开始公示/)
  })

  it('shows 公示 as the next step on the dashboard', async () => {
    await openScreen(driver, '工作台', '/dashboard')
    await waitText('steps', /评选[\s\S]*公示[\s\S]*复查[\s\S]*发布/)
    await waitText('step-left-publicity', /待办：尚未公示/)
  })

  it('shows the period before starting the first round, then the round on the timeline', async () => {
    await openScreen(driver, '公示异议', '/publicity')
    await waitText('publicity-blocked', /尚未公示/)
    const plan = await startRound('2026-11-02', /2026年11月2日至11月6日，共5个工作日/)
    assert.match(plan, /第1轮公示/)
    assert.match(plan, new RegExp(`公示单位（\\d+家）：.*${OBJECTED}`))
    // No arrangement for 2026 yet: the count says it was by weekends only.
    assert.match(await textAt('publicity-start-dialog'), /未设置2026年节假日安排，仅按周末计算/)
    await screenshot(driver, 'publicity-plan')
    await click(driver, await visible(driver, byTestId('publicity-start-confirm')))
    await closed('publicity-start-dialog')
    await waitText('publicity-round-1', /第1轮公示 · \d+家 · 王科员/)
    const timeline = await visibleText('publicity-rounds')
    assert.match(timeline, /2026年11月2日至11月6日，共5个工作日/)
    // The period has ended (the round is in the past) and nothing else stands in the way.
    await visible(driver, byTestId('publicity-clear'))
  })

  it('registers an objection with an objector, who is shown nowhere', async () => {
    await click(driver, await visible(driver, byTestId('objection-add')))
    await visible(driver, byTestId('objection-dialog'))
    assert.match(await textAt('objection-dialog'), /反映人姓名仅存档备查/)
    await chooseOption(driver, 'objection-agency', OBJECTED)
    await setDate('objection-date', '2026-11-03')
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="objection-channel"]//*[normalize-space()="来电"]')))
    await (await visible(driver, By.css('textarea[data-testid="objection-content"]'))).sendKeys('反映该单位群众测评组织不规范')
    const objector = await visible(driver, By.css('input[data-testid="objection-objector"]'))
    await objector.sendKeys(OBJECTOR)
    // The name is in the form that is sent (the core keeps it; its tests read it back).
    await waitFor(driver, async () => (await objector.getProperty('value')) === OBJECTOR, 'the objector typed')
    await driver.sleep(300)
    await screenshot(driver, 'publicity-objection-dialog')
    await click(driver, await visible(driver, byTestId('objection-save')))
    await closed('objection-dialog')
    const rows = await waitRows(driver, 'objections-table', (r) => r.length === 1, 'the objection listed')
    assert.deepEqual(rows[0].slice(0, 7), ['2026-11-03', OBJECTED, '来电', '反映该单位群众测评组织不规范', '未处理', '—', '—'])
    await waitText('publicity-blocked', /还有1条异议未处理/)
    await assertNoObjector('公示异议')
  })

  it('upholds the objection: the unit is excluded and the one that moved up must be publicised', async () => {
    await click(driver, await button(driver, '处理', '[data-testid="objections-table"]'))
    await visible(driver, byTestId('resolve-dialog'))
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="resolve-resolution"]//*[normalize-space()="异议成立"]')))
    // The reason is required.
    await click(driver, await visible(driver, byTestId('resolve-save')))
    await visible(driver, By.xpath('//*[@data-testid="resolve-dialog"]//*[contains(text(), "请填写处理理由")]'))
    await (await visible(driver, By.css('textarea[data-testid="resolve-reason"]'))).sendKeys('经核实属实')
    await setDate('resolve-date', '2026-11-05')
    await screenshot(driver, 'publicity-resolve-dialog')
    await click(driver, await visible(driver, byTestId('resolve-save')))
    await closed('resolve-dialog')
    await waitFor(driver, async () => /已排除出入选名单/.test(await lastMessages(driver)), 'upheld message')
    const rows = await waitRows(driver, 'objections-table', (r) => r[0]?.[4] === '异议成立', 'resolved')
    assert.deepEqual(rows[0].slice(4, 7), ['异议成立', '经核实属实', '2026-11-05'])
    const blocked = await waitText('publicity-blocked', /递补入选，尚未公示/)
    const m = /(\S+)递补入选，尚未公示/.exec(blocked)
    assert.ok(m, blocked)
    movedUp = m[1].replace(/^[•·]/, '')
    assert.notEqual(movedUp, OBJECTED)
    await screenshot(driver, 'publicity-upheld')
    await assertNoObjector('公示异议 after 处理')
  })

  it('shows the exclusion in the results and 发布 refused with the reasons', async () => {
    await openScreen(driver, '评选结果', '/results')
    const search = await visible(driver, By.css('input[data-testid="result-search"]'))
    await typeInto(search, OBJECTED)
    const [row] = await waitRows(driver, 'results-table', (r) => r.length === 1, 'the excluded unit')
    assert.notEqual(row[2], '入选')
    assert.match(row[4], /公示异议成立：经核实属实/)
    await typeInto(search, movedUp)
    const [up] = await waitRows(driver, 'results-table', (r) => r.length === 1, 'the unit that moved up')
    assert.equal(up[2], '入选')
    await typeInto(search, '')
    await waitText('results-publicity-blocks', new RegExp(`${movedUp}递补入选，尚未公示`))
    await click(driver, await visible(driver, byTestId('publish')))
    await visible(driver, byTestId('publish-dialog'))
    const reasons = await waitText('publish-blocked', /公示尚未完成/)
    assert.match(reasons, /公示尚未完成，暂不能发布/)
    assert.match(reasons, new RegExp(`${movedUp}递补入选，尚未公示`))
    assert.equal(await (await driver.findElement(byTestId('publish-submit'))).isEnabled(), false)
    await screenshot(driver, 'publicity-publish-blocked')
    await click(driver, await button(driver, '取消', '[data-testid="publish-dialog"]'))
    await closed('publish-dialog')
    await assertNoObjector('评选结果')
  })

  it('publicises the unit that moved up in a supplementary round, then 发布 is possible', async () => {
    await openScreen(driver, '公示异议', '/publicity')
    await waitText('publicity-start', /^补充公示$/)
    const plan = await startRound('2026-11-09', /2026年11月9日至11月13日，共5个工作日/)
    assert.match(plan, /第2轮补充公示/)
    assert.match(plan, new RegExp(`公示单位（1家）：${movedUp}$`, 'm'))
    await screenshot(driver, 'publicity-supplementary-plan')
    await click(driver, await visible(driver, byTestId('publicity-start-confirm')))
    await closed('publicity-start-dialog')
    await waitText('publicity-round-2', /第2轮补充公示 · 1家 · 王科员/)
    await visible(driver, byTestId('publicity-clear'))
    await screenshot(driver, 'publicity-done')

    await openScreen(driver, '评选结果', '/results')
    await visible(driver, byTestId('result-counts'))
    assert.equal((await driver.findElements(byTestId('results-publicity-blocks'))).length, 0)
    await click(driver, await visible(driver, byTestId('publish')))
    await visible(driver, byTestId('publish-dialog'))
    await visible(driver, By.css('input[data-testid="doc-number"]'))
    assert.equal((await driver.findElements(byTestId('publish-blocked'))).length, 0)
    assert.equal(await (await driver.findElement(byTestId('publish-submit'))).isEnabled(), true)
    await click(driver, await button(driver, '取消', '[data-testid="publish-dialog"]'))
    await closed('publish-dialog')
  })

  it('imports the holiday arrangement in 设置 and lists its days', async () => {
    await openScreen(driver, '设置', '/settings')
    const card = await visible(driver, byTestId('calendar-card'))
    await driver.executeScript('arguments[0].scrollIntoView()', card)
    await waitText('calendar-summary', /未设置2026年节假日安排，仅按周末计算/)
    queueDialog(queue, [CALENDAR])
    await click(driver, await visible(driver, byTestId('calendar-import')))
    await waitFor(driver, async () => /已导入节假日安排：2026年（放假1天，调休上班1天）/.test(await lastMessages(driver)), 'imported')
    await waitText('calendar-summary', /^2026年：放假1天，调休上班1天，全年工作日\d+天$/)
    const days = await waitRows(driver, 'calendar-days', (r) => r.length === 2, 'two days listed')
    assert.deepEqual(
      days.map((r) => r.slice(0, 3)),
      [
        ['2026-11-04', '星期三', '放假'],
        ['2026-11-14', '星期六', '调休上班'],
      ],
    )
    await screenshot(driver, 'publicity-calendar')
  })

  it('previews the 公示 notice of the latest round, with the contact as edited', async () => {
    await openScreen(driver, '通知文书', '/notices')
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="notice-kind"]//*[normalize-space()="公示"]')))
    const text = await waitText('a4-preview', /拟命名对象的补充公示/, 20_000)
    assert.match(text, /公示时间：2026年11月9日至11月13日（5个工作日）/)
    assert.match(text, new RegExp(`拟命名${movedUp}等1个单位`))
    const telephone = await visible(driver, By.css('input[data-testid="notice-contact-telephone"]'))
    await telephone.sendKeys('020-12345678')
    await waitText('a4-preview', /联系电话：020-12345678/)
    await driver.sleep(500)
    await screenshot(driver, 'publicity-notice')
    await assertNoObjector('通知文书')
  })

  it('keeps the objector out of the audit log and the dashboard', async () => {
    await openScreen(driver, '操作日志', '/audit')
    await driver.sleep(1500)
    await assertNoObjector('操作日志')
    await openScreen(driver, '工作台', '/dashboard')
    await waitText('steps', /2轮 · 公示\d+家 · 异议1条/)
    assert.equal((await driver.findElements(byTestId('step-left-publicity'))).length, 0)
    await assertNoObjector('工作台')
  })
})

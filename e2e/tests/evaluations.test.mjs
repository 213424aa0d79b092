// 测评数据 through the real window: a year under the computed scheme (群众测评 from ballots,
// 组织考评 from the panel), the sample returns, then the sample ballots and panel sheet
// previewed and imported on the screen, scores and an explanation shown, a file withdrawn,
// and the stored selection going stale (数据已变化, input 测评数据) after a ballot import.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { By, Key } from 'selenium-webdriver'
import { byTestId, closeWindow, hidden, openWindow, repoRoot, screenshot, visible, waitFor } from './harness.mjs'
import { button, click, lastMessages, openScreen, queueDialog, tableRows, textOf, waitRows } from './ui.mjs'
import { readXlsx } from './xlsx.mjs'

const fixtures = join(repoRoot, 'tests', 'fixtures')
const SCHEME = join(fixtures, 'scheme.computed.toml')
const RETURNS = ['00_广州市.xlsx', '01_广州市海珠区.xlsx', '02_广州市番禺区.xls', '03_广州市越秀区.xlsx'].map((f) =>
  join(fixtures, 'samples', f),
)
const SURVEY = join(fixtures, 'ballots', '问卷星_群众满意度测评.xlsx')
const TALLY = join(fixtures, 'ballots', '计票汇总表.xlsx')
const PANEL = join(fixtures, 'panel', '组织考评评分表.xlsx')

describe('测评数据 in the window', { timeout: 600_000 }, () => {
  let tmp
  let queue
  let win
  let driver

  before(async () => {
    win = await openWindow('evaluations', { size: [1600, 1000] })
    ;({ tmp, queue, driver } = win)
  })

  after(() => closeWindow(win))

  /** The 导入测评数据 dialog, once every chosen file is previewed. */
  async function previewed(count) {
    await visible(driver, byTestId('evaluation-import'))
    return waitFor(
      driver,
      async () => {
        const cards = await driver.findElements(byTestId('evaluation-preview'))
        return cards.length === count ? cards : false
      },
      `${count} previews`,
      60_000,
    )
  }

  async function importPreviewed() {
    const dialog = await driver.findElement(byTestId('evaluation-import'))
    await click(driver, await visible(driver, byTestId('evaluation-import-confirm')))
    await waitFor(driver, async () => /已导入/.test(await lastMessages(driver)), 'imported', 60_000)
    await hidden(driver, dialog)
  }

  async function openTab(label) {
    const tab = await visible(driver, By.xpath(`//*[contains(@class, "el-tabs__item") and starts-with(normalize-space(), "${label}")]`))
    await click(driver, tab)
    await driver.sleep(400)
  }

  it('creates the year under the computed scheme and imports the sample returns', async () => {
    await click(driver, await visible(driver, byTestId('new-campaign')))
    const input = await visible(driver, By.css('[data-testid="year-input"] input'))
    await input.click()
    await input.sendKeys(Key.chord(Key.CONTROL, 'a'))
    await input.sendKeys(Key.BACK_SPACE)
    await input.sendKeys('2026')
    await input.sendKeys(Key.TAB)
    // Choosing 从文件导入 opens the open dialog at once: its answer is queued first.
    queueDialog(queue, [SCHEME])
    await click(driver, await visible(driver, byTestId('scheme-file')))
    await waitFor(
      driver,
      async () => String(await driver.executeScript('return document.querySelector(\'input[data-testid="scheme-path"]\')?.value ?? ""')).endsWith('.toml'),
      'scheme chosen',
    )
    await click(driver, await visible(driver, byTestId('create-submit')))
    await waitRows(driver, 'campaign-table', (rows) => rows.some((r) => r[0] === '2026'), 'campaign listed')

    await openScreen(driver, '数据导入', '/imports')
    queueDialog(queue, RETURNS)
    await click(driver, await visible(driver, byTestId('pick-files')))
    await waitRows(driver, 'pending-table', (r) => r.length === 4 && r.every((c) => c[1] === '可导入'), 'returns checked', 60_000)
    await click(driver, await visible(driver, byTestId('import-start')))
    await visible(driver, byTestId('import-summary'), 120_000)
    await click(driver, await visible(driver, byTestId('import-close')))
  })

  it('lists both computed components before any input', async () => {
    await openScreen(driver, '测评数据', '/evaluations')
    const tabs = await visible(driver, byTestId('evaluations-tabs'))
    await waitFor(driver, async () => /组织考评（评委打分）/.test(await textOf(tabs)) && /群众测评（测评票）/.test(await textOf(tabs)), 'both tabs')
    assert.match(await textOf(await visible(driver, byTestId('computation'))), /评委/)
    const rows = await waitRows(driver, 'evaluation-units', (r) => r.length > 10, 'units listed')
    assert.ok(rows.every((r) => r.at(-1) === '组织考评没有评委评分'), JSON.stringify(rows[0]))
    await screenshot(driver, 'evaluations-empty')
  })

  it('previews the ballots with their layouts and units matched, then imports them', async () => {
    await openTab('群众测评')
    queueDialog(queue, [SURVEY, TALLY])
    await click(driver, await visible(driver, byTestId('evaluations-choose')))
    const cards = await previewed(2)
    const states = await driver.findElements(byTestId('preview-state'))
    assert.deepEqual(await Promise.all(states.map(textOf)), ['可导入', '可导入'])
    const layouts = await Promise.all((await driver.findElements(byTestId('preview-layout'))).map(textOf))
    assert.match(layouts[0], /问卷导出（每个单位一列）/)
    assert.match(layouts[1], /表头第3行）：计票汇总表/)
    await click(driver, await cards[0].findElement(By.css('.el-collapse-item__header')))
    // Read once the collapse has opened (its rows have no text while it is closed).
    const matched = await waitRows(driver, 'preview-matched', (r) => r.length > 3 && r[0][1] !== '', 'unit columns matched')
    assert.equal(matched[0][1], 'H')
    assert.equal(matched[0][3], '广州市民政局')
    await driver.sleep(500)
    await screenshot(driver, 'evaluations-preview')
    await importPreviewed()

    const files = await waitRows(driver, 'evaluation-files', (r) => r.length === 2, 'two ballot files')
    assert.deepEqual(files.map((r) => r[0].split(/\s/)[0]), ['问卷星_群众满意度测评.xlsx', '计票汇总表.xlsx'])
    assert.match(files[1][0], /^计票汇总表\.xlsx\s+[0-9a-f]{12}…$/)
    assert.equal(files[1][1], '计票汇总表')
    const rows = await waitRows(driver, 'evaluation-units', (r) => r.some((x) => x[0] === '广州市民政局' && /^\d+\.\d\d$/.test(x.at(-1))), 'a score shown')
    const civil = rows.find((r) => r[0] === '广州市民政局')
    assert.match(civil.join(' '), /\d+ \/ \d+（\d+\.\d\d%）/)
    await screenshot(driver, 'evaluations-ballots')
  })

  it('shows a unit’s explanation in its drawer', async () => {
    const cell = await visible(driver, By.xpath('//*[@data-testid="evaluation-units"]//tr[.//*[normalize-space()="广州市民政局"]]//*[@data-testid="unit-score"]'))
    assert.match(await cell.getAttribute('title'), /^群众测评\d+\.\d\d分 = \(满意\d+×100/)
    await click(driver, cell)
    const explanation = await visible(driver, byTestId('drawer-explanation'))
    assert.match(await textOf(explanation), /张有效票/)
    await driver.sleep(500)
    await screenshot(driver, 'evaluations-drawer')
    await driver.actions().sendKeys(Key.ESCAPE).perform()
    await hidden(driver, byTestId('evaluation-drawer'))
  })

  it('filters by missing score and searches by name', async () => {
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="score-filter"]//*[normalize-space()="缺项"]')))
    const missing = await waitRows(driver, 'evaluation-units', (r) => r.length > 0 && r.every((x) => !/^\d+\.\d\d$/.test(x.at(-1))), 'only missing')
    assert.ok(missing.length > 0)
    await click(driver, await visible(driver, By.xpath('//*[@data-testid="score-filter"]//*[normalize-space()="全部"]')))
    const search = await visible(driver, By.css('input[data-testid="evaluations-search"]'))
    await search.sendKeys('民政')
    await waitRows(driver, 'evaluation-units', (r) => r.length > 0 && r.every((x) => x[0].includes('民政')), 'searched')
    await search.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE)
  })

  it('imports the panel sheet and marks the dropped scores', async () => {
    await openTab('组织考评')
    queueDialog(queue, [PANEL])
    await click(driver, await visible(driver, byTestId('evaluations-choose')))
    await previewed(1)
    assert.match(await textOf(await visible(driver, byTestId('preview-layout'))), /评委为列/)
    await importPreviewed()
    const rows = await waitRows(driver, 'evaluation-units', (r) => r.some((x) => x[0] === '广州市人民检察院' && /^\d+\.\d\d$/.test(x.at(-1))), 'panel score')
    assert.ok(rows.length > 0)
    const struck = await driver.findElements(By.css('[data-testid="evaluation-units"] .dropped'))
    assert.ok(struck.length >= 4, `${struck.length} dropped scores marked`)
    await screenshot(driver, 'evaluations-panel')
  })

  it('exports 测评汇总表 and 评委评分汇总表 with the scores the screen shows', async () => {
    for (const [tab, book] of [
      ['群众测评', '测评汇总表'],
      ['组织考评', '评委评分汇总表'],
    ]) {
      await openTab(tab)
      const rows = await waitRows(driver, 'evaluation-units', (r) => r.some((x) => /^\d+\.\d\d$/.test(x.at(-1))), `${tab} scores`)
      const [name, score] = ((r) => [r[0], r.at(-1)])(rows.find((x) => /^\d+\.\d\d$/.test(x.at(-1))))
      const exportButton = await visible(driver, byTestId('evaluations-export'))
      assert.equal(await textOf(exportButton), `导出${book}`)
      const out = join(tmp, `${book}.xlsx`)
      queueDialog(queue, [out])
      await click(driver, exportButton)
      await waitFor(driver, async () => existsSync(out), `${book} written`)
      const sheets = readXlsx(out)
      const row = Object.values(sheets)
        .flat()
        .find((r) => r?.includes(name))
      assert.ok(row, `${name} is in ${book}`)
      assert.ok(row.some((c) => c !== '' && Number(c) === Number(score)), `${name}: ${score} in ${JSON.stringify(row)}`)
      await waitFor(driver, async () => (await lastMessages(driver)).includes(`${book}已导出`), `${book}: the message`)
    }
  })

  it('withdraws the tally and its counts go', async () => {
    await openTab('群众测评')
    await waitRows(driver, 'evaluation-units', (r) => r.some((x) => /\d+ \/ \d+/.test(x.join(' '))), 'turnout shown')
    const withdraw = await visible(driver, By.xpath('//*[@data-testid="evaluation-files"]//tr[.//*[normalize-space()="计票汇总表.xlsx"]]//button[normalize-space()="撤回"]'))
    await click(driver, withdraw)
    await click(driver, await button(driver, '撤回', '.el-message-box'))
    await waitRows(driver, 'evaluation-files', (r) => r[1]?.[4] === '已撤回', 'withdrawn')
    await waitRows(driver, 'evaluation-units', (r) => r.length > 0 && r.every((x) => !/\d+ \/ \d+（/.test(x.join(' '))), 'the tally counts are gone')
    await screenshot(driver, 'evaluations-withdrawn')
  })

  it('runs the selection, then a ballot import makes it stale (测评数据)', async () => {
    await openScreen(driver, '评选结果', '/results')
    await click(driver, await visible(driver, byTestId('run-selection')))
    await visible(driver, byTestId('run-line'), 60_000)

    await openScreen(driver, '测评数据', '/evaluations')
    await openTab('群众测评')
    queueDialog(queue, [TALLY])
    await click(driver, await visible(driver, byTestId('evaluations-choose')))
    await previewed(1)
    await importPreviewed()
    const banner = await visible(driver, byTestId('stale-banner'), 20_000)
    assert.match(await textOf(banner), /数据已变化.*测评数据/)
    await screenshot(driver, 'evaluations-stale')

    await openScreen(driver, '评选结果', '/results')
    assert.match(await textOf(await visible(driver, byTestId('stale-banner'))), /测评数据/)

    await openScreen(driver, '测评数据', '/evaluations')
    await driver.manage().window().setRect({ width: 1024, height: 768 })
    await driver.sleep(1000)
    await visible(driver, byTestId('evaluation-units'))
    await screenshot(driver, 'evaluations-1024')
    const rows = await tableRows(driver, 'evaluation-units')
    assert.ok(rows.length > 0)
  })
})

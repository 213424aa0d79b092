import { describe, expect, it } from 'vitest'
import { A4_WIDTH_PX, NOTICE_KINDS, available, exportYear, shownKind, fitZoom, isDated, linesToText, noticeLabel, textToCc, textToLines, titleLines, validateNoticeSettings, type NoticeSettings } from './notices'

function settings(over: Partial<NoticeSettings> = {}): NoticeSettings {
  return {
    issuer: '中共广东省直属机关工作委员会',
    issuer_mark: '中共广东省直属机关工作委员会文件',
    doc_number: '粤直工〔2026〕12号',
    date: '2026-12-01',
    recipients: '各市直机关工委，省直各单位',
    cc: ['省委办公厅'],
    printer: '中共广东省直属机关工作委员会办公室',
    print_date: '2026-12-01',
    title: null,
    body: null,
    attachments: [],
    ...over,
  }
}

describe('notice form', () => {
  it('turns paragraphs and 抄送 into text and back', () => {
    expect(linesToText(['甲', '乙'])).toBe('甲\n乙')
    expect(linesToText(null)).toBe('')
    expect(textToLines(' 甲 \n\n乙\n')).toEqual(['甲', '乙'])
    expect(textToCc('省委办公厅，省委组织部、省纪委;  ')).toEqual(['省委办公厅', '省委组织部', '省纪委'])
  })

  it('asks for what a notice needs, including the number of the 发文字号', () => {
    expect(validateNoticeSettings(settings())).toEqual({})
    const e = validateNoticeSettings(settings({ issuer: ' ', doc_number: '粤直工〔2026〕\u3000号', date: '' }))
    expect(e.issuer).toBe('请填写发文机关')
    expect(e.doc_number).toBe('发文字号还缺编号')
    expect(e.date).toBe('请选择成文日期')
  })

  it('names notices and splits titles', () => {
    expect(noticeLabel({ kind: 'award', year: 2026, award_title: '模范机关', groups: [{ heading: 'x', agencies: ['a', 'b'] }] })).toBe(
      '2026年度命名决定（2个单位）',
    )
    expect(noticeLabel({ kind: 'rectification', agency: '甲局', award_year: 2023, deadline: '2027-06-30', reasons: [] })).toBe(
      '整改通知书：甲局（期限2027-06-30）',
    )
    expect(titleLines('关于命名2026年度\n模范机关的决定')).toEqual(['关于命名2026年度', '模范机关的决定'])
  })
})

describe('fitZoom', () => {
  it('fits the A4 sheet to the pane, on the slider step, never wider than the pane', () => {
    // 1024 px window: a pane of about 420 px.
    const z = fitZoom(420, 0.62)
    expect(z).toBe(0.48)
    expect(z * A4_WIDTH_PX).toBeLessThanOrEqual(420 - 28)
    expect(fitZoom(28 + A4_WIDTH_PX * 0.5, 0.62)).toBe(0.5)
  })

  it('stays within the slider range', () => {
    expect(fitZoom(200, 0.62)).toBe(0.4)
    expect(fitZoom(4000, 0.62)).toBe(1.2)
  })

  it('keeps the current zoom while the pane has no width (screen hidden)', () => {
    expect(fitZoom(0, 0.7)).toBe(0.7)
    expect(fitZoom(Number.NaN, 0.7)).toBe(0.7)
  })
})

describe('notice kinds', () => {
  it('list the 情况通报 last, the one dated rather than a campaign’s', () => {
    expect(NOTICE_KINDS.map((k) => k.label)).toEqual(['公示', '命名决定', '撤销通知', '整改通知书', '情况通报'])
    expect(NOTICE_KINDS.filter((k) => isDated(k.kind)).map((k) => k.kind)).toEqual(['bulletin'])
  })

  it('need a campaign, except the 情况通报', () => {
    for (const { kind } of NOTICE_KINDS) {
      expect(available(kind, 2026), kind).toBe(true)
      expect(available(kind, null), kind).toBe(kind === 'bulletin')
      expect(shownKind(kind, 2026), kind).toBe(kind)
      expect(shownKind(kind, null), kind).toBe('bulletin')
    }
  })

  it('name the file with the campaign’s year, else the bulletin date’s', () => {
    expect(exportYear(2026, '2027-01-05')).toBe(2026)
    expect(exportYear(null, '2027-01-05')).toBe(2027)
  })
})

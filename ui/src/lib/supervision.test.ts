import { describe, expect, it } from 'vitest'
import {
  agencyUnchosen,
  blankAccountability,
  blankFound,
  blankSupervision,
  cleanAccountability,
  cleanFound,
  cleanSupervision,
  emptyFilters,
  foundLine,
  placedErrors,
  tabTitle,
  toQuery,
  type FoundItem,
  type SupervisionScreen,
} from './supervision'

function item(over: Partial<FoundItem>): FoundItem {
  return { id: 1, kind: 'problem', text: '台账不全', deadline: '2026-04-01', done_on: null, status: 'overdue', tone: 'danger', ...over }
}

const screen = { date: '2026-07-05', supervision: [{}, {}], accountability: [{}], agencies: [] } as unknown as SupervisionScreen

describe('监督问责 filters', () => {
  it('start empty and ask the core for everything', () => {
    const none = { agency_id: null, supervision_kind: null, accountability_kind: null, from: null, to: null }
    expect(toQuery(emptyFilters(), 'supervision')).toEqual(none)
    expect(toQuery(emptyFilters(), 'accountability')).toEqual(none)
  })

  it('send the kind as the shown tab’s kind, and the dates as both ends', () => {
    const f = { agency_id: 7, kind: 'talk', range: ['2026-03-01', '2026-05-01'] as [string, string] }
    expect(toQuery(f, 'supervision')).toEqual({
      agency_id: 7,
      supervision_kind: 'talk',
      accountability_kind: null,
      from: '2026-03-01',
      to: '2026-05-01',
    })
    expect(toQuery({ ...f, kind: 'bulletin' }, 'accountability')).toMatchObject({ supervision_kind: null, accountability_kind: 'bulletin' })
    // A blank end of a range is no bound.
    expect(toQuery({ ...f, kind: ' ', range: ['', '2026-05-01'] }, 'supervision')).toMatchObject({
      supervision_kind: null,
      from: null,
      to: '2026-05-01',
    })
  })

  it('count each tab, leaving out the other tab’s count under a kind filter', () => {
    const f = emptyFilters()
    expect(tabTitle('supervision', 'supervision', f, screen)).toBe('督查记录（2）')
    expect(tabTitle('accountability', 'supervision', f, screen)).toBe('问责记录（1）')
    const kind = { ...f, kind: 'talk' }
    expect(tabTitle('supervision', 'supervision', kind, screen)).toBe('督查记录（2）')
    expect(tabTitle('accountability', 'supervision', kind, screen)).toBe('问责记录')
    expect(tabTitle('supervision', 'supervision', f, null)).toBe('督查记录')
  })
})

describe('the dialogs’ forms', () => {
  it('start blank for the agency given, dated today', () => {
    expect(blankSupervision(3, '2026-07-05')).toEqual({
      agency_id: 3,
      kind: 'inquiry',
      date: '2026-07-05',
      subject: '',
      content: null,
      people: null,
    })
    expect(blankAccountability(0, '2026-07-05')).toMatchObject({ agency_id: 0, person: null, kind: 'bulletin', reason: '' })
    expect(blankFound(9)).toEqual({ supervision_id: 9, text: '', deadline: '', measures: null, owner: null, source: null })
  })

  it('send blank optional texts as none, and a person only for a cadre', () => {
    expect(cleanSupervision({ ...blankSupervision(3, '2026-07-05'), content: '  ', people: ' 王五 ' })).toMatchObject({
      content: null,
      people: '王五',
    })
    const a = { ...blankAccountability(3, '2026-07-05'), person: '张三', doc_number: ' ' }
    expect(cleanAccountability('organisation', a)).toMatchObject({ person: null, doc_number: null })
    expect(cleanAccountability('person', a)).toMatchObject({ person: '张三' })
    // A cadre without a name is sent as none: the core refuses it at 被问责人.
    expect(cleanAccountability('person', { ...a, person: '  ' })).toMatchObject({ person: null })
    const f = { ...blankFound(9), text: '台账不全', measures: ' ', owner: '李四' }
    expect(cleanFound(f)).toMatchObject({ measures: null, owner: '李四', deadline: '' })
    // A cleared date picker holds null.
    expect(cleanFound({ ...f, deadline: null as unknown as string }).deadline).toBe('')
  })

  it('show a refusal at the field the core names', () => {
    expect(placedErrors(null)).toEqual({})
    expect(placedErrors({ error: null })).toEqual({})
    expect(placedErrors({ error: { field: 'person', message: '请填写被问责人', code: 'accountability.person_required' } })).toEqual({
      person: '请填写被问责人',
    })
  })
})

describe('found items', () => {
  it('read as their text with the deadline, or when they were done', () => {
    expect(foundLine(item({}))).toBe('台账不全（时限2026-04-01）')
    expect(foundLine(item({ done_on: '2026-03-20', status: 'done', tone: 'success' }))).toBe('台账不全（2026-03-20完成）')
    expect(foundLine(item({ deadline: null }))).toBe('台账不全')
  })
})

describe('the agency of a dialog on 监督问责', () => {
  it('is asked for at its field while none is chosen', () => {
    expect(placedErrors(agencyUnchosen('被督查单位'))).toEqual({ agency_id: '请选择被督查单位' })
  })
})

// 监督问责 (docs/specification.md §10): the screen's filters as the core's query, the forms of
// 登记督查, 登记问责 and 新增发现问题 as the core takes them, and where a refusal is shown.
// Which records a filter keeps, every check of a form and the status of a found item are
// the core's (`supervision_screen`, `add_supervision`, `add_accountability`,
// `add_found_problem`); a refusal comes back naming the field it concerns.
import { optionalText, type Target } from './agency'

import type {
  AccountabilityAdded,
  AccountabilityEntry,
  AccountabilityInput,
  AccountabilityKind,
  AgencyChoice,
  FieldError,
  FoundInput,
  FoundItem,
  SupervisionAdded,
  SupervisionEntry,
  SupervisionInput,
  SupervisionKind,
  SupervisionQuery,
  SupervisionScreen,
} from '../bindings'

export type {
  AccountabilityAdded,
  AccountabilityEntry,
  AccountabilityInput,
  AccountabilityKind,
  AgencyChoice,
  FieldError,
  FoundInput,
  FoundItem,
  SupervisionAdded,
  SupervisionEntry,
  SupervisionInput,
  SupervisionKind,
  SupervisionQuery,
  SupervisionScreen,
}

/** The screen's two lists, one tab each. */
export type RecordTab = 'supervision' | 'accountability'

/** The screen's filters as the bar holds them (null or '' for none). */
export interface SupervisionFilters {
  agency_id: number | null
  /** A kind of the shown tab's records (督查方式 or 问责方式). */
  kind: string
  /** The dates, both ends included; null: every date. */
  range: [string, string] | null
}

/** A fresh screen: nothing filtered. */
export function emptyFilters(): SupervisionFilters {
  return { agency_id: null, kind: '', range: null }
}

/**
 * The core's query of the filters on a tab: the kind is the tab's kind (a supervision kind
 * on 督查记录, an accountability kind on 问责记录); blanks are no filter.
 */
export function toQuery(f: SupervisionFilters, tab: RecordTab): SupervisionQuery {
  const blank = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim())
  const kind = blank(f.kind)
  return {
    agency_id: f.agency_id,
    supervision_kind: tab === 'supervision' ? (kind as SupervisionKind | null) : null,
    accountability_kind: tab === 'accountability' ? (kind as AccountabilityKind | null) : null,
    from: f.range ? blank(f.range[0]) : null,
    to: f.range ? blank(f.range[1]) : null,
  }
}

/** The refusal of a dialog by field, for the form's `error` props (nothing when accepted). */
export function placedErrors(answer: { error: FieldError | null } | null): Record<string, string> {
  return answer?.error ? { [answer.error.field]: answer.error.message } : {}
}

/** 登记督查's form for an agency (0: not chosen yet), dated `today`. */
export function blankSupervision(agencyId: number, today: string): SupervisionInput {
  return { agency_id: agencyId, kind: 'inquiry', date: today, subject: '', content: null, people: null }
}

/** The 登记督查 form as sent: blank optional texts are none. */
export function cleanSupervision(f: SupervisionInput): SupervisionInput {
  return { ...f, content: optionalText(f.content), people: optionalText(f.people) }
}

/** 登记问责's form for an agency (0: not chosen yet), dated `today`, on the organisation. */
export function blankAccountability(agencyId: number, today: string): AccountabilityInput {
  return { agency_id: agencyId, person: null, kind: 'bulletin', date: today, reason: '', doc_number: null }
}

/** The 登记问责 form as sent: a person only for a cadre, blank optional texts none. */
export function cleanAccountability(target: Target, f: AccountabilityInput): AccountabilityInput {
  return {
    ...f,
    person: target === 'person' ? optionalText(f.person) : null,
    doc_number: optionalText(f.doc_number),
  }
}

/** 新增发现问题's form on a supervision record. */
export function blankFound(supervisionId: number): FoundInput {
  return { supervision_id: supervisionId, text: '', deadline: '', measures: null, owner: null, source: null }
}

/** The 新增发现问题 form as sent: blank optional texts none. */
export function cleanFound(f: FoundInput): FoundInput {
  // A cleared date picker holds null: sent as no date, which the core refuses at the field.
  return { ...f, deadline: f.deadline ?? '', measures: optionalText(f.measures), owner: optionalText(f.owner) }
}

/** A found item's line under its record: its text and deadline, or when it was done. */
export function foundLine(i: FoundItem): string {
  if (i.done_on !== null) return `${i.text}（${i.done_on}完成）`
  if (i.deadline !== null) return `${i.text}（时限${i.deadline}）`
  return i.text
}

/**
 * A tab's title with how many records the filters keep: "督查记录（3）". A kind filter is a
 * kind of the shown tab's records only, so the other tab's count is then left out (the core
 * sends that list empty).
 */
export function tabTitle(tab: RecordTab, shown: RecordTab, f: SupervisionFilters, s: SupervisionScreen | null): string {
  const title = tab === 'supervision' ? '督查记录' : '问责记录'
  if (s === null || (tab !== shown && f.kind !== '')) return title
  const n = tab === 'supervision' ? s.supervision.length : s.accountability.length
  return `${title}（${n}）`
}

/**
 * The answer a dialog on 监督问责 gives itself while no agency is chosen: the refusal at the
 * agency's field, so that nothing is sent (the core needs an agency to look up).
 */
export function agencyUnchosen(label: string): { error: FieldError } {
  return { error: { field: 'agency_id', message: `请选择${label}`, code: 'desktop.agency_unchosen' } }
}

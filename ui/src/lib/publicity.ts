// 公示异议: the panel as the shell sends it (docs/specification.md §9) and the screen's
// presentation rules. Every rule of the publicity — periods, who is publicised, what
// blocks 发布 — is the core's; here only labels, choices and the dialogs' checks.
import type { TagType } from './campaign'
import { labelOf } from './vocabulary'

import type {
  ObjectionChannel,
  ObjectionInput,
  ObjectionResolution,
  ObjectionView,
  PlanView,
  PublicityView,
  RoundAgency,
  RoundView,
} from '../bindings'

export type {
  ObjectionChannel,
  ObjectionInput,
  ObjectionResolution,
  ObjectionView,
  PlanView,
  PublicityView,
  RoundAgency,
  RoundView,
}

/** "2026-11-27": a local day as the commands take it. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** "第1轮公示", "第2轮补充公示". */
export function roundTitle(r: { number: number; supplementary: boolean }): string {
  return `第${r.number}轮${r.supplementary ? '补充公示' : '公示'}`
}

/** "2026年11月2日至11月6日，共5个工作日". */
export function planLine(p: PlanView): string {
  return `${p.period}，共${p.plan.working_days}个工作日`
}

/** The agencies an objection may name: every publicised one, once, in round order. */
export function objectionAgencies(view: PublicityView): { value: string; label: string }[] {
  const seen = new Set<number>()
  const out: { value: string; label: string }[] = []
  for (const r of view.rounds) {
    for (const a of r.agencies) {
      if (seen.has(a.agency_id)) continue
      seen.add(a.agency_id)
      out.push({ value: a.uscc ?? a.name, label: a.name })
    }
  }
  return out
}

/** The agencies whose name or code contains `query` (spaces ignored). */
export function searchAgencies<T extends { value: string; label: string }>(list: readonly T[], query: string): T[] {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (q === '') return [...list]
  return list.filter((a) => a.label.toLowerCase().includes(q) || a.value.toLowerCase().includes(q))
}

export function channelLabel(c: string): string {
  return labelOf('objection_channel', c)
}

export function resolutionLabel(r: string | null): string {
  return r === null ? '未处理' : labelOf('objection_resolution', r)
}

export function resolutionTag(r: string | null): TagType {
  return r === null ? 'warning' : r === 'upheld' ? 'danger' : 'info'
}

/** The 登记异议 form's empty fields; messages by field. */
export function validateObjection(f: ObjectionInput): Record<string, string> {
  const errors: Record<string, string> = {}
  if (f.agency.trim() === '') errors.agency = '请选择被反映的单位'
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) errors.date = '请选择收到日期'
  if (f.content.trim() === '') errors.content = '请填写异议内容'
  return errors
}

/** The 处理 form's empty fields; messages by field. */
export function validateResolution(f: { resolution: string; reason: string; date: string }): Record<string, string> {
  const errors: Record<string, string> = {}
  if (f.resolution === '') errors.resolution = '请选择处理结果'
  if (f.reason.trim() === '') errors.reason = '请填写处理理由'
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) errors.date = '请选择处理日期'
  return errors
}

/** "可于2026年11月9日起发布": the first day 发布 is possible, when the core knows it. */
export function publishOnLine(day: string | null): string | null {
  if (day === null) return null
  const [y, m, d] = day.split('-').map(Number)
  return `可于${y}年${m}月${d}日起发布`
}

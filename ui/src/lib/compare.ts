// 方案对比: what would change under an edited copy of the scheme, as the core groups it
// (the agencies by kind of change, the pools whose quota changes), in words.
import { formatScore } from './results'

import type { ChangeGroup, Comparison, PoolChange, UnitChange } from '../bindings'

export type { ChangeGroup, Comparison, PoolChange, UnitChange }

/** 方案对比's headline. */
export function comparisonSummary(c: Comparison): string {
  if (c.changed === 0 && c.pools.length === 0) return '按修改后的方案，评选结果不变'
  const parts = []
  if (c.changed > 0) parts.push(`${c.changed}家单位的结果会改变`)
  if (c.pools.length > 0) parts.push(`${c.pools.length}个组的名额会改变`)
  return `按修改后的方案，${parts.join('，')}`
}

/** A before/after pair: "93.62", or "93.62 → 94.10" when it changes; "—" for none. */
export function changeText(before: string | null, after: string | null): string {
  if (before === after) return before ?? '—'
  return `${before ?? '—'} → ${after ?? '—'}`
}

/** A pool whose quota changes, in words: "名额 2 → 1（现入选 2，改后入选 1）". */
export function poolChangeText(p: PoolChange): string {
  const n = (x: number | null) => (x === null ? '—' : String(x))
  if (p.quota_before === null) return `改后新设此组：名额 ${n(p.quota_after)}，入选 ${n(p.selected_after)}`
  if (p.quota_after === null) return `改后不再单列此组（现名额 ${n(p.quota_before)}）`
  return `名额 ${n(p.quota_before)} → ${n(p.quota_after)}（入选 ${n(p.selected_before)} → ${n(p.selected_after)}）`
}

/** A unit's pool in the comparison: its pool now, and where it would go if that changes. */
export function unitPool(u: UnitChange): string {
  const before = u.pool_before ?? '无适用名额'
  const after = u.pool_after ?? '无适用名额'
  return before === after ? before : `${before} → ${after}`
}

/** Scores of a unit's change, two decimals each: "93.62" or "93.62 → 91.05". */
export function unitScores(u: UnitChange): string {
  return changeText(
    u.composite_before === null ? null : formatScore(u.composite_before),
    u.composite_after === null ? null : formatScore(u.composite_after),
  )
}

/** A unit's rank in its pool: "第2名", "第2名 → 第3名", "—". */
export function unitRanks(u: UnitChange): string {
  const r = (x: number | null) => (x === null ? null : `第${x}名`)
  return changeText(r(u.rank_before), r(u.rank_after))
}

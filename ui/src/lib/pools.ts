// The pool selector of 评选结果: with dozens of pools (one per district) a sideways strip
// of tabs cannot show them, so the pools are listed grouped by tier, searchable by name,
// each with its counts. The pools themselves (labels, counts) are the core's.
import { NO_POOL, type ResultTab } from './results'
import { terms } from './vocabulary'

/** A group of the pool selector: one tier's pools, or the returns without a pool. */
export interface PoolGroup {
  key: string
  /** "县级（12组）". */
  label: string
  pools: ResultTab[]
}

/**
 * The pool selector's groups: the pools by tier in the vocabulary's order (省直, 市级, 县级),
 * each tier's pools in rule order, then the returns without a pool. A tier without pools
 * is left out. With dozens of pools one sideways strip of tabs cannot show them; a list
 * grouped by tier, searchable by name, can.
 */
export function poolGroups(tabs: readonly ResultTab[]): PoolGroup[] {
  const groups: PoolGroup[] = terms('tier').map((t) => ({
    key: t.key,
    label: t.label,
    pools: tabs.filter((p) => p.tier === t.key),
  }))
  const orphans = tabs.filter((p) => p.tier === null)
  if (orphans.length > 0) groups.push({ key: NO_POOL, label: '其他', pools: orphans })
  return groups
    .filter((g) => g.pools.length > 0)
    .map((g) => ({ ...g, label: g.key === NO_POOL ? g.label : `${g.label}（${g.pools.length}组）` }))
}

/** A pool's counts as the selector shows them beside its name: "入选 2/名额 2". */
export function poolCounts(p: ResultTab): string {
  return p.key === NO_POOL ? `${p.rows}家` : `入选 ${p.selected}/名额 ${p.quota}`
}

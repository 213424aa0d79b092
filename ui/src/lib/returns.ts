// 参评单位: every current return, its filters and search.
import type { HistoryItem, ReturnItem, ReturnsList } from '../bindings'

export type { HistoryItem, ReturnItem, ReturnsList }

export interface ReturnFilter {
  tier: string
  region: string
  unitType: string
  status: string
  query: string
}

export function emptyFilter(): ReturnFilter {
  return { tier: '', region: '', unitType: '', status: '', query: '' }
}

/** Rows matching every set filter; the search looks at name, USCC, region and file name. */
export function filterReturns(rows: readonly ReturnItem[], f: ReturnFilter): ReturnItem[] {
  const q = f.query.trim().toLowerCase()
  return rows.filter(
    (r) =>
      (f.tier === '' || r.tier === f.tier) &&
      (f.region === '' || (r.region ?? '') === f.region) &&
      (f.unitType === '' || r.unit_type === f.unitType) &&
      (f.status === '' || r.status === f.status) &&
      (q === '' ||
        [r.name, r.uscc ?? '', r.region ?? '', r.file_name].some((s) => s.toLowerCase().includes(q))),
  )
}

const collator = new Intl.Collator('zh-CN')

/** The distinct non-empty values of a field, in Chinese collation order. */
export function distinct(rows: readonly ReturnItem[], pick: (r: ReturnItem) => string | null): string[] {
  const set = new Set<string>()
  for (const r of rows) {
    const v = pick(r)
    if (v) set.add(v)
  }
  return [...set].sort(collator.compare)
}

/** Regions offered for a tier (all regions when no tier is chosen). */
export function regionsFor(rows: readonly ReturnItem[], tier: string): string[] {
  return distinct(
    rows.filter((r) => tier === '' || r.tier === tier),
    (r) => r.region,
  )
}

/** Whether a filter is narrowing anything. */
export function isFiltered(f: ReturnFilter): boolean {
  return Object.values(f).some((v) => v.trim() !== '')
}

const STATE_LABELS: Record<string, string> = { current: '有效', replaced: '已被替换', withdrawn: '已撤回' }

export function historyStateLabel(state: string): string {
  return STATE_LABELS[state] ?? state
}

/** Problems fixed over listed, as "6/8（75%）", or "—". */
export function rectificationText(r: Pick<ReturnItem, 'problems_total' | 'problems_fixed'>): string {
  if (r.problems_total === null || r.problems_total === 0) return '—'
  const fixed = r.problems_fixed ?? 0
  return `${fixed}/${r.problems_total}（${Math.round((fixed / r.problems_total) * 100)}%）`
}

/**
 * What the empty table says: while the list is being read (not loaded yet, or loading
 * again) that it is being read — never that the year has no returns, which only a loaded
 * empty list can say.
 */
export function emptyText(loaded: boolean, total: number): string {
  if (!loaded) return '正在读取申报数据…'
  return total === 0 ? '本年度还没有申报数据' : '没有符合筛选条件的单位'
}

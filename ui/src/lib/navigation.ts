// Side menu entries. A screen is listed only once it works (`ready: true`); the others are
// kept here, in menu order, so the layout is ready for them.

export interface NavEntry {
  /** Route path. */
  path: string
  /** Menu label (Chinese). */
  label: string
  /** Whether the screen exists yet. */
  ready: boolean
}

export const NAV_ENTRIES: readonly NavEntry[] = [
  { path: '/dashboard', label: '工作台', ready: true },
  { path: '/campaigns', label: '评选年度', ready: true },
  { path: '/scheme', label: '评选方案', ready: true },
  { path: '/imports', label: '数据导入', ready: true },
  { path: '/returns', label: '参评单位', ready: true },
  { path: '/evaluations', label: '测评数据', ready: true },
  { path: '/results', label: '评选结果', ready: true },
  { path: '/publicity', label: '公示异议', ready: true },
  { path: '/reviews', label: '复查管理', ready: true },
  { path: '/ledger', label: '清单台账', ready: true },
  { path: '/supervision', label: '监督问责', ready: true },
  { path: '/agencies', label: '单位查询', ready: true },
  { path: '/notices', label: '通知文书', ready: true },
  { path: '/audit', label: '操作日志', ready: true },
  { path: '/settings', label: '设置', ready: true },
]

/** The entries shown in the side menu. */
export function visibleNavEntries(entries: readonly NavEntry[] = NAV_ENTRIES): NavEntry[] {
  return entries.filter((entry) => entry.ready)
}

/** The menu entry that is highlighted for a route path (the longest matching prefix). */
export function activeNavPath(routePath: string, entries: readonly NavEntry[] = NAV_ENTRIES): string {
  let best = ''
  for (const entry of visibleNavEntries(entries)) {
    const matches = routePath === entry.path || routePath.startsWith(`${entry.path}/`)
    if (matches && entry.path.length > best.length) {
      best = entry.path
    }
  }
  return best
}

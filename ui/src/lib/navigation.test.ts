import { describe, expect, it } from 'vitest'
import { activeNavPath, NAV_ENTRIES, visibleNavEntries, type NavEntry } from './navigation'

describe('navigation', () => {
  it('shows only the screens that work', () => {
    expect(visibleNavEntries().map((e) => e.label)).toEqual(['工作台', '评选年度', '评选方案', '数据导入', '参评单位', '测评数据', '评选结果', '公示异议', '复查管理', '清单台账', '监督问责', '单位查询', '通知文书', '操作日志', '设置'])
  })

  it('keeps every planned screen in menu order with unique paths', () => {
    expect(NAV_ENTRIES.map((e) => e.label)).toEqual([
      '工作台',
      '评选年度',
      '评选方案',
      '数据导入',
      '参评单位',
      '测评数据',
      '评选结果',
      '公示异议',
      '复查管理',
      '清单台账',
      '监督问责',
      '单位查询',
      '通知文书',
      '操作日志',
      '设置',
    ])
    expect(new Set(NAV_ENTRIES.map((e) => e.path)).size).toBe(NAV_ENTRIES.length)
  })

  it('highlights the visible entry whose path prefixes the route', () => {
    const entries: NavEntry[] = [
      { path: '/campaigns', label: '评选年度', ready: true },
      { path: '/campaigns-archive', label: '归档', ready: true },
      { path: '/results', label: '评选结果', ready: false },
    ]
    expect(activeNavPath('/campaigns', entries)).toBe('/campaigns')
    expect(activeNavPath('/campaigns/2026', entries)).toBe('/campaigns')
    expect(activeNavPath('/campaigns-archive', entries)).toBe('/campaigns-archive')
    expect(activeNavPath('/results', entries)).toBe('')
  })
})

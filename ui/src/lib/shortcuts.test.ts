import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isHelpKey, matchesShortcut, parseShortcut, SHORTCUTS, shortcutGroups } from './shortcuts'
import { NAV_ENTRIES } from './navigation'

const key = (k: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {}) => ({
  key: k,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
})

describe('shortcuts', () => {
  it('parses modifiers and the key', () => {
    expect(parseShortcut('Ctrl+Shift+E')).toEqual({ key: 'e', ctrl: true, shift: true, alt: false })
    expect(parseShortcut('F5')).toEqual({ key: 'f5', ctrl: false, shift: false, alt: false })
  })

  it('matches exactly, with ⌘ standing in for Ctrl', () => {
    expect(matchesShortcut(key('o', { ctrl: true }), 'Ctrl+O')).toBe(true)
    expect(matchesShortcut(key('O', { meta: true }), 'Ctrl+O')).toBe(true)
    expect(matchesShortcut(key('o'), 'Ctrl+O')).toBe(false)
    expect(matchesShortcut(key('o', { ctrl: true, shift: true }), 'Ctrl+O')).toBe(false)
    expect(matchesShortcut(key('Enter', { ctrl: true }), 'Ctrl+Enter')).toBe(true)
    expect(matchesShortcut(key('F5'), 'F5')).toBe(true)
  })
})

describe('the one shortcut table', () => {
  const views = join(dirname(fileURLToPath(import.meta.url)), '..', 'views')

  /** The shortcut specs a view registers with useShortcuts({ 'Ctrl+S': … }). */
  function registered(file: string): string[] {
    const text = readFileSync(join(views, file), 'utf8')
    const calls = [...text.matchAll(/useShortcuts\(\{([\s\S]*?)\}\)\s*\n/g)].map((m) => m[1])
    return calls.flatMap((body) => [...body.matchAll(/^\s*'([^']+)'\s*:/gm), ...body.matchAll(/[{,]\s*'([^']+)'\s*:/g)].map((m) => m[1]))
  }

  it('lists exactly the shortcuts each screen registers', () => {
    const screens = NAV_ENTRIES.filter((e) => e.path !== '/dashboard')
    for (const screen of screens) {
      const name = `${screen.path.slice(1, 2).toUpperCase()}${screen.path.slice(2)}View.vue`
      const inView = [...new Set(registered(name))].sort()
      const listed = SHORTCUTS.filter((s) => s.screen === screen.path).map((s) => s.keys).sort()
      expect(inView, name).toEqual(listed)
    }
    for (const s of SHORTCUTS) if (s.screen && !s.keys.includes(' ')) expect(parseShortcut(s.keys).key).not.toBe('')
  })

  it('groups the list by screen in menu order, global ones first', () => {
    const groups = shortcutGroups(NAV_ENTRIES)
    expect(groups[0].title).toBe('全局')
    expect(groups[0].entries.map((e) => e.keys)).toContain('? / F1')
    expect(groups.slice(1).map((g) => g.title)).toEqual(['评选方案', '数据导入', '参评单位', '测评数据', '评选结果', '复查管理', '通知文书', '操作日志'])
  })

  it('opens the list with F1 anywhere and with ? outside text fields', () => {
    expect(isHelpKey(key('F1'), true)).toBe(true)
    expect(isHelpKey(key('?', { shift: true }), false)).toBe(true)
    expect(isHelpKey(key('?', { shift: true }), true)).toBe(false)
    expect(isHelpKey(key('F1', { ctrl: true }), false)).toBe(false)
    expect(isHelpKey(key('/'), false)).toBe(false)
  })
})

// Keyboard shortcuts: "Ctrl+O", "Ctrl+Shift+E", "F5". Ctrl also matches ⌘ on macOS.

/** The parts of a keyboard event a shortcut looks at. */
export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

export interface Shortcut {
  key: string
  ctrl: boolean
  shift: boolean
  alt: boolean
}

export function parseShortcut(spec: string): Shortcut {
  const parts = spec.split('+').map((p) => p.trim())
  const key = parts.pop() ?? ''
  const mods = new Set(parts.map((p) => p.toLowerCase()))
  return { key: key.toLowerCase(), ctrl: mods.has('ctrl'), shift: mods.has('shift'), alt: mods.has('alt') }
}

export function matchesShortcut(event: KeyLike, spec: string): boolean {
  const s = parseShortcut(spec)
  return (
    event.key.toLowerCase() === s.key &&
    (event.ctrlKey || event.metaKey) === s.ctrl &&
    event.shiftKey === s.shift &&
    event.altKey === s.alt
  )
}

/** Where a shortcut works: everywhere, or on one screen (its route path). */
export interface ShortcutEntry {
  /** As `matchesShortcut` reads it ("Ctrl+E"), or a description of keys ("Ctrl+1 … Ctrl+9"). */
  keys: string
  /** What it does, in the clerk's words. */
  action: string
  /** The screen's route path, or null for every screen. */
  screen: string | null
}

/**
 * Every keyboard shortcut of the window, in one table: the 快捷键 list is made from it, and a
 * unit test checks that each screen registers exactly the shortcuts listed for it here
 * (`shortcuts.test.ts` reads the `useShortcuts` calls of the views).
 */
export const SHORTCUTS: readonly ShortcutEntry[] = [
  { keys: 'Ctrl+1 … Ctrl+9', action: '打开左侧菜单的第1至第9项', screen: null },
  { keys: 'Tab / Shift+Tab', action: '在菜单、按钮和输入框之间移动', screen: null },
  { keys: 'Enter', action: '打开选中的菜单项', screen: null },
  { keys: '? / F1', action: '显示本快捷键列表', screen: null },
  { keys: 'Esc', action: '关闭对话框', screen: null },
  { keys: 'Ctrl+S', action: '保存评选方案', screen: '/scheme' },
  { keys: 'Ctrl+O', action: '选择要导入的文件', screen: '/imports' },
  { keys: 'Ctrl+Enter', action: '导入列表中的文件', screen: '/imports' },
  { keys: 'Ctrl+F', action: '搜索单位', screen: '/returns' },
  { keys: 'Ctrl+E', action: '导出参评单位名单', screen: '/returns' },
  { keys: 'Ctrl+O', action: '选择测评票或评委评分表', screen: '/evaluations' },
  { keys: 'Ctrl+F', action: '搜索单位', screen: '/evaluations' },
  { keys: 'Ctrl+R', action: '运行评选 / 重新计算', screen: '/results' },
  { keys: 'Ctrl+E', action: '导出评选结果', screen: '/results' },
  { keys: 'Ctrl+F', action: '搜索单位', screen: '/results' },
  { keys: 'Ctrl+R', action: '运行复查', screen: '/reviews' },
  { keys: 'Ctrl+P', action: '打印文书', screen: '/notices' },
  { keys: 'Ctrl+E', action: '导出 Word 文书', screen: '/notices' },
  { keys: 'Ctrl+E', action: '导出操作日志', screen: '/audit' },
  { keys: 'F5', action: '刷新操作日志', screen: '/audit' },
]

export interface ShortcutGroup {
  /** "全局" or the screen's menu label. */
  title: string
  entries: ShortcutEntry[]
}

/** The table grouped for the 快捷键 list: the global ones first, then screen by screen in menu order. */
export function shortcutGroups(
  screens: readonly { path: string; label: string }[],
  table: readonly ShortcutEntry[] = SHORTCUTS,
): ShortcutGroup[] {
  const groups: ShortcutGroup[] = [{ title: '全局', entries: table.filter((s) => s.screen === null) }]
  for (const screen of screens) {
    const entries = table.filter((s) => s.screen === screen.path)
    if (entries.length > 0) groups.push({ title: screen.label, entries })
  }
  return groups
}

/**
 * Whether a key press asks for the 快捷键 list: F1 anywhere, or "?" when the focus is not in a
 * place where "?" is typed (an input, a text area, an editable element).
 */
export function isHelpKey(event: KeyLike, typing: boolean): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false
  if (event.key === 'F1') return true
  return event.key === '?' && !typing
}

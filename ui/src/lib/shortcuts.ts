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

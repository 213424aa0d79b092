import { describe, expect, it } from 'vitest'
import { matchesShortcut, parseShortcut } from './shortcuts'

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

// Registers keyboard shortcuts while the calling component is mounted.
import { onBeforeUnmount, onMounted } from 'vue'
import { matchesShortcut } from '../lib/shortcuts'

/** Shortcut → action; an action is skipped while a dialog or message box is open. */
export function useShortcuts(actions: Record<string, () => void>, options: { inDialogs?: boolean } = {}): void {
  function onKey(event: KeyboardEvent): void {
    for (const [spec, action] of Object.entries(actions)) {
      if (!matchesShortcut(event, spec)) continue
      if (!options.inDialogs && document.querySelector('.el-overlay:not([style*="display: none"])')) return
      event.preventDefault()
      action()
      return
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}

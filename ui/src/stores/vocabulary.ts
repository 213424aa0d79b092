// Loads the core's vocabulary once, before the window mounts, so that every screen's
// first render already shows the core's labels.
import { loadVocabulary } from '../api'
import { setVocabulary } from '../lib/vocabulary'

let loading: Promise<void> | null = null

/**
 * Loads the labels from the desktop shell. Outside the shell (plain `vite` in a browser)
 * nothing can be loaded and the screens show the stored spellings; every command fails
 * there anyway, with its own message.
 */
export function initVocabulary(): Promise<void> {
  loading ??= loadVocabulary()
    .then(setVocabulary)
    .catch(() => undefined)
  return loading
}

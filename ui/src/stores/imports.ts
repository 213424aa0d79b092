// The files waiting on the 数据导入 screen, kept while the user visits other screens.
import { ref } from 'vue'
import { previewImport, toApiError } from '../api'
import { baseName, mergePaths, type ColumnChoice, type FilePreview } from '../lib/imports'

export interface PendingFile {
  path: string
  file: string
  preview: FilePreview | null
  loading: boolean
  /** Why the preview failed (the file could not be read at all). */
  error: string | null
  /** Columns mapped by hand, sent with the next preview and the import. */
  choices: ColumnChoice[]
  /** Each header's field as first detected, before any hand choice. */
  detected: Record<string, string | null>
}

const pending = ref<PendingFile[]>([])
/** The campaign the pending previews were read for. */
const pendingYear = ref<number | null>(null)

function detectedOf(preview: FilePreview): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const s of preview.sheets) for (const c of s.columns) out[c.header] = c.field
  return out
}

/**
 * Called after each file is checked and before its row shows the result, so that what
 * depends on the core's answer for the whole batch (the files 导入 sends) is current when
 * the row is (a quick click on 导入 never meets a stale count).
 */
const checkedHooks = new Set<() => Promise<unknown>>()

function onChecked(hook: () => Promise<unknown>): () => void {
  checkedHooks.add(hook)
  return () => checkedHooks.delete(hook)
}

async function runPreview(year: number, item: PendingFile): Promise<void> {
  item.loading = true
  item.error = null
  try {
    const preview = await previewImport(year, item.path, item.choices)
    if (item.choices.length === 0) item.detected = detectedOf(preview)
    item.preview = preview
  } catch (error) {
    item.preview = null
    item.error = toApiError(error).message
  } finally {
    await Promise.all([...checkedHooks].map((hook) => hook().catch(() => undefined)))
    item.loading = false
  }
}

function find(path: string): PendingFile | undefined {
  return pending.value.find((p) => p.path === path)
}

/** Adds chosen or dropped files and previews the new ones, one after the other. */
async function addPaths(year: number, paths: string[]): Promise<void> {
  if (pendingYear.value !== year) {
    pending.value = []
    pendingYear.value = year
  }
  const known = pending.value.map((p) => p.path)
  const added = mergePaths(known, paths).slice(known.length)
  for (const path of added) {
    pending.value.push({
      path,
      file: baseName(path),
      preview: null,
      loading: true,
      error: null,
      choices: [],
      detected: {},
    })
  }
  for (const path of added) {
    const item = find(path)
    if (item) await runPreview(year, item)
  }
}

/** Re-reads a file with its current hand choices. */
async function repreview(year: number, path: string, choices: ColumnChoice[]): Promise<void> {
  const item = find(path)
  if (!item) return
  item.choices = choices
  await runPreview(year, item)
}

function remove(paths: string[]): void {
  const gone = new Set(paths)
  pending.value = pending.value.filter((p) => !gone.has(p.path))
}

function clear(): void {
  pending.value = []
}

/** Paths dropped on the window, waiting for the import screen to take them. */
const dropped = ref<string[]>([])
/** Paths dropped while 测评数据 is open: ballots or panel sheets, which that screen takes. */
const droppedEvaluations = ref<string[]>([])

export function useImports() {
  return { pending, pendingYear, dropped, droppedEvaluations, addPaths, repreview, remove, clear, onChecked }
}

// The column-mapping editor of a previewed file: which field each header column holds.
// Edits are kept as ColumnChoice entries (header → field key, or null to leave the column
// out) and sent with the next preview and with the import; the core applies them.
import type { ColumnChoice, FieldChoice, SheetPreview } from './imports'

/** The value of the editor's select for "不导入". */
export const IGNORE = ''

/** One row of the editor. */
export interface MappingRow {
  sheet: string
  letter: string
  header: string
  /** The field key in force (detected or chosen), or IGNORE. */
  field: string
  /** Whether the user changed this column by hand. */
  manual: boolean
}

/** The rows of every sheet, with the user's pending choices applied. */
export function mappingRows(sheets: readonly SheetPreview[], choices: readonly ColumnChoice[]): MappingRow[] {
  const chosen = new Map(choices.map((c) => [c.header, c.field]))
  return sheets.flatMap((s) =>
    s.columns.map((c) => {
      const manual = chosen.has(c.header)
      const field = manual ? chosen.get(c.header) : c.field
      return { sheet: s.sheet, letter: c.letter, header: c.header, field: field ?? IGNORE, manual }
    }),
  )
}

/**
 * Sets a header's field. Choosing what the preview detected removes the hand choice, so
 * only real changes are sent. `detected` is the preview's field of that header.
 */
export function setChoice(
  choices: readonly ColumnChoice[],
  header: string,
  field: string,
  detected: string | null,
): ColumnChoice[] {
  const rest = choices.filter((c) => c.header !== header)
  const wanted = field === IGNORE ? null : field
  if (wanted === detected) return rest
  return [...rest, { header, field: wanted }]
}

/** What is wrong with a mapping, per sheet: missing required fields, fields taken twice. */
export interface MappingProblems {
  missing: string[]
  duplicates: { label: string; columns: string[] }[]
}

export function mappingProblems(
  rows: readonly MappingRow[],
  fields: readonly FieldChoice[],
): Map<string, MappingProblems> {
  const out = new Map<string, MappingProblems>()
  const label = new Map(fields.map((f) => [f.key, f.label]))
  const sheets = [...new Set(rows.map((r) => r.sheet))]
  for (const sheet of sheets) {
    const byField = new Map<string, string[]>()
    for (const r of rows.filter((x) => x.sheet === sheet && x.field !== IGNORE)) {
      byField.set(r.field, [...(byField.get(r.field) ?? []), `${r.letter}列“${r.header}”`])
    }
    const missing = fields.filter((f) => f.required && !byField.has(f.key)).map((f) => f.label)
    const duplicates = [...byField.entries()]
      .filter(([, cols]) => cols.length > 1)
      .map(([key, columns]) => ({ label: label.get(key) ?? key, columns }))
    out.set(sheet, { missing, duplicates })
  }
  return out
}

/** Whether any sheet has a problem. */
export function hasMappingProblems(problems: Map<string, MappingProblems>): boolean {
  return [...problems.values()].some((p) => p.missing.length > 0 || p.duplicates.length > 0)
}

/** The problems as Chinese sentences. */
export function problemMessages(problems: Map<string, MappingProblems>): string[] {
  const out: string[] = []
  for (const [sheet, p] of problems) {
    if (p.missing.length > 0) out.push(`工作表“${sheet}”缺少必需的列：${p.missing.join('、')}`)
    for (const d of p.duplicates) {
      out.push(`工作表“${sheet}”中 ${d.columns.join('、')} 都对应“${d.label}”，请只保留一列`)
    }
  }
  return out
}

// 测评数据: the computed components' inputs — which component a file goes to, which previewed
// files 导入 sends, the per-unit table's filter and each cell's text. Every rule and every
// score is the core's (ui::evaluations); this only chooses and words what it shows.
import type {
  ComponentSource,
  ComputedComponent,
  EvaluationFile,
  EvaluationPreview,
  EvaluationsView,
  JudgeEntry,
  RowError,
  UnitEvaluation,
} from '../bindings'

export type {
  ComponentSource,
  ComputedComponent,
  EvaluationFile,
  EvaluationPreview,
  EvaluationsView,
  JudgeEntry,
  UnitEvaluation,
}

/**
 * The component chosen for new files without asking: the only component of `source` (or
 * the only computed component when no source is given); null when the clerk must pick.
 */
export function preselectComponent(
  components: readonly ComputedComponent[],
  source: ComponentSource | null = null,
): string | null {
  const of = source === null ? components : components.filter((c) => c.source === source)
  return of.length === 1 ? of[0].key : null
}

/**
 * The previewed files 导入 sends: those that can be imported whole and, in a partial import,
 * those with errors that have correct records (as 数据导入 does). Duplicates and unreadable
 * files are never sent.
 */
export function importablePaths(previews: readonly EvaluationPreview[], partial: boolean): string[] {
  return previews
    .filter((p) => p.state === 'ready' || (partial && p.state === 'errors' && p.valid > 0))
    .map((p) => p.path)
}

/** Where an error stands, in the clerk's words: "工作表“计票” 第5行 C列". */
export function errorPlace(e: RowError): string {
  const parts: string[] = []
  if (e.sheet) parts.push(`工作表“${e.sheet}”`)
  if (e.row !== null) parts.push(`第${e.row}行`)
  if (e.column) parts.push(`${e.column}列`)
  return parts.length ? parts.join(' ') : '整个文件'
}

/** 全部, 有分数 (a score was computed) or 缺项 (the score is missing, with its reason). */
export type ScoreFilter = '' | 'scored' | 'missing'

/** The units matching the score filter whose name or USCC contains the query. */
export function filterUnits(
  units: readonly UnitEvaluation[],
  scored: ScoreFilter,
  query: string,
): UnitEvaluation[] {
  const q = query.trim().toLowerCase()
  return units.filter(
    (u) =>
      (scored === '' || (scored === 'scored') === (u.score !== null)) &&
      (q === '' || u.name.toLowerCase().includes(q) || (u.uscc ?? '').toLowerCase().includes(q)),
  )
}

/** How many units have a score and how many miss it: "有分数 40 · 缺项 3". */
export function scoreCounts(units: readonly UnitEvaluation[]): { scored: number; missing: number } {
  const scored = units.filter((u) => u.score !== null).length
  return { scored, missing: units.length - scored }
}

/** 发放/回收 with the rate, "50 / 46（92.00%）", or "—" when the tally gave none. */
export function turnoutText(u: UnitEvaluation): string {
  if (u.issued === null || u.returned === null) return '—'
  const rate = u.return_rate === null ? '' : `（${u.return_rate}%）`
  return `${u.issued} / ${u.returned}${rate}`
}

/** A judge's cell: the score as given, "回避" for a recusal; a dropped score is marked apart. */
export function judgeText(j: JudgeEntry): string {
  return j.score === null ? '回避' : j.score
}

/** The judges of a panel component, in the order they first appear across units. */
export function judgeNames(units: readonly UnitEvaluation[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const u of units) {
    for (const j of u.judges) {
      if (!seen.has(j.judge)) {
        seen.add(j.judge)
        out.push(j.judge)
      }
    }
  }
  return out
}

/** A unit's entry for one judge, or null when that judge did not score it. */
export function judgeOf(u: UnitEvaluation, judge: string): JudgeEntry | null {
  return u.judges.find((j) => j.judge === judge) ?? null
}

/** The text shown in place of a score: the score, or the reason it is missing. */
export function scoreOrReason(u: UnitEvaluation): string {
  return u.score ?? u.reason ?? '—'
}

/** A stored file's SHA-256 as shown in a narrow column: its first 12 characters. */
export function shortSha(sha: string): string {
  return sha.length > 12 ? `${sha.slice(0, 12)}…` : sha
}

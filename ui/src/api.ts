// Typed wrappers around the desktop shell's Tauri commands.
import { Channel, invoke, isTauri } from '@tauri-apps/api/core'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type {
  AccountabilityInput,
  Added,
  LedgerChange,
  LedgerInput,
  LedgerKind,
  LedgerPreview,
  LedgerQuery,
  LedgerView,
  Marked,
  AccountabilityAdded,
  AgencyPage,
  AgencySearch,
  Applied,
  AuditRow,
  AwardRow,
  BatchOutcome,
  BatchView,
  CalendarDayKind,
  CampaignNotices,
  CampaignSummary,
  Checked,
  ColumnChoice,
  Comparison,
  ComponentSource,
  Dashboard,
  EvaluationPreview,
  EvaluationsView,
  DemoReport,
  Deletion,
  FieldChoice,
  FilePreview,
  FileReport,
  FileRow,
  Filter,
  HistoryItem,
  ImportedYear,
  ImportEvent,
  ImportRequest,
  Labels,
  Notice,
  NoticeSettings,
  ObjectionInput,
  ObjectionResolution,
  ObjectionView,
  OverrideAction,
  Preview,
  PlanView,
  PublicityView,
  Published,
  ResultsView,
  ReturnsList,
  ReviewRecord,
  ReviewView,
  SchemeForm,
  SchemeView,
  SettingsView,
  FoundInput,
  SupervisionAdded,
  SupervisionInput,
  SupervisionQuery,
  SupervisionScreen,
  TableCell,
  VerifyReport,
  WithdrawReport,
  YearRange,
  YearView,
} from './bindings'
import type { CreateCampaignRequest } from './lib/createForm'
import type { NoticeKind } from './lib/notices'

export type { SchemeView, TableCell }

/** An error reported by a command: `code` is stable, `message` is Chinese and shown as is. */
export class ApiError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}

/** Code used when the page runs outside the desktop shell (e.g. plain `npm run dev` in a browser). */
export const NO_SHELL = 'no_shell'

function isCodedObject(value: unknown): value is { code: string; message: string } {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.code === 'string' && typeof v.message === 'string'
}

/** Maps whatever a command rejected with to an `ApiError`. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (isCodedObject(error)) return new ApiError(error.code, error.message)
  if (typeof error === 'string') return new ApiError('error', error)
  if (error instanceof Error) return new ApiError('error', error.message)
  return new ApiError('error', `未知错误：${String(error)}`)
}

function requireShell(): void {
  if (!isTauri()) {
    throw new ApiError(NO_SHELL, '未连接到桌面程序：请通过“模范机关评选”桌面应用打开本界面。')
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  requireShell()
  try {
    return await invoke<T>(command, args)
  } catch (error) {
    throw toApiError(error)
  }
}

/** The core's vocabulary: every key → label list (loaded once at start). */
export function loadVocabulary(): Promise<Labels> {
  return call<Labels>('vocabulary')
}

/** All campaigns, as the core lists them. */
export function listCampaigns(): Promise<CampaignSummary[]> {
  return call<CampaignSummary[]>('list_campaigns')
}

/** Creates the campaign of a year, with the default scheme or one read from a TOML file. */
export function createCampaign(request: CreateCampaignRequest): Promise<CampaignSummary> {
  return call<CampaignSummary>('create_campaign', {
    year: request.year,
    schemePath: request.schemePath,
  })
}

/** What an open dialog is for. */
export type PickKind = 'returns' | 'registry' | 'evaluations' | 'scheme' | 'database' | 'calendar' | 'ledger'

/**
 * Opens the native open dialog in the shell; the chosen paths (empty when cancelled) may
 * then be read by the other commands, and only those.
 */
export function pickFiles(kind: PickKind): Promise<string[]> {
  return call<string[]>('pick_files', { kind })
}

/** Asks the user for a scheme file; `null` when the dialog is cancelled. */
export async function pickSchemeFile(): Promise<string | null> {
  const chosen = await pickFiles('scheme')
  return chosen[0] ?? null
}

/** The fields a column can be mapped to in a campaign. */
export function importFieldChoices(year: number): Promise<FieldChoice[]> {
  return call<FieldChoice[]>('import_field_choices', { year })
}

/** What importing a chosen file would do; nothing is stored. */
export function previewImport(year: number, path: string, mapping: ColumnChoice[]): Promise<FilePreview> {
  return call<FilePreview>('preview_import', { year, path, mapping })
}

/** The chosen files as last checked: counts by state, what 导入 sends, what a partial import leaves out. */
export function importBatchView(paths: string[], partial: boolean): Promise<BatchView> {
  return call<BatchView>('import_batch_view', { paths, partial })
}

/** Imports chosen files one by one; `onEvent` hears each file start, advance and finish. */
export function importFiles(
  year: number,
  files: ImportRequest[],
  partial: boolean,
  onEvent: (event: ImportEvent) => void,
): Promise<BatchOutcome> {
  const channel = new Channel<ImportEvent>()
  channel.onmessage = onEvent
  return call<BatchOutcome>('import_files', { year, files, partial, onEvent: channel })
}

/** Stops the running batch before its next file. */
export function cancelImport(): Promise<void> {
  return call<void>('cancel_import')
}

/** Every imported file of a campaign (withdrawn ones too), oldest first. */
export function listImportedFiles(year: number): Promise<FileRow[]> {
  return call<FileRow[]>('list_imported_files', { year })
}

/** Withdraws an imported file. */
export function withdrawFile(year: number, id: number): Promise<WithdrawReport> {
  return call<WithdrawReport>('withdraw_file', { year, id })
}

/** Asks where to save and writes the error workbook of these files; null when cancelled. */
export function saveErrorBook(paths: string[]): Promise<string | null> {
  return call<string | null>('save_error_book', { paths })
}

/** Calls `handler` with the paths of files dropped on the window (already allowed). */
export async function onFilesDropped(handler: (paths: string[]) => void): Promise<UnlistenFn> {
  if (!isTauri()) return () => {}
  return listen<string[]>('mofan://files-dropped', (event) => handler(event.payload))
}

/**
 * The last run as stored (nothing changes), with the rows of one pool: `pool`, else the
 * core's choice (the first with a tie to resolve, else the first).
 */
export function currentResults(year: number, pool: string | null = null): Promise<ResultsView> {
  return call<ResultsView>('current_results', { year, pool })
}

/**
 * Runs the selection on the reference date `date` (评选基准日, YYYY-MM-DD; today when null) —
 * a draft campaign becomes 已评选; audited —, with the rows of `pool`.
 */
export function runSelection(year: number, pool: string | null = null, date: string | null = null): Promise<ResultsView> {
  return call<ResultsView>('run_selection', { year, pool, date })
}

/** Records a panel decision; `confirm` accepts including beyond the quota. */
export function setOverride(
  year: number,
  input: { agencyId: number; action: OverrideAction; reason: string; confirm: boolean },
  pool: string | null = null,
): Promise<ResultsView> {
  return call<ResultsView>('set_override', {
    year,
    input: { agency_id: input.agencyId, action: input.action, reason: input.reason, confirm: input.confirm },
    pool,
  })
}

/** 方案对比: the campaign read against an edited copy of its scheme (a form) on the 评选基准日 `date` (today when null), both sides as a run reads them; nothing is stored. */
export function compareScheme(year: number, form: SchemeForm, date: string | null = null): Promise<Comparison> {
  return call<Comparison>('compare_scheme', { year, form, date })
}

/** Asks where to save and writes the result workbook; null when cancelled. */
export function exportResults(year: number): Promise<string | null> {
  return call<string | null>('export_results', { year })
}

/** Publishes the campaign under a document number. */
export function publishCampaign(year: number, docNumber: string): Promise<Published> {
  return call<Published>('publish_campaign', { year, docNumber })
}

/** Reopens a published campaign; returns the awards withdrawn. */
export function reopenCampaign(year: number, reason: string): Promise<number> {
  return call<number>('reopen_campaign', { year, reason })
}

/** Every current return with its outcome and provenance. */
export function listReturns(year: number): Promise<ReturnsList> {
  return call<ReturnsList>('list_returns', { year })
}

/** Every return of an agency in a campaign, oldest first. */
export function returnHistory(year: number, agencyId: number): Promise<HistoryItem[]> {
  return call<HistoryItem[]>('return_history', { year, agencyId })
}

/** Asks where to save and writes these returns (in this order); null when cancelled. */
export function exportReturns(year: number, agencyIds: number[]): Promise<string | null> {
  return call<string | null>('export_returns', { year, agencyIds })
}

/** 测评数据: the computed components with their files and every unit's counts or judges' scores. */
export function evaluations(year: number): Promise<EvaluationsView> {
  return call<EvaluationsView>('evaluations', { year })
}

/** What importing a chosen ballot file or panel sheet for a component would do; nothing is stored. */
export function previewEvaluation(year: number, component: string, path: string): Promise<EvaluationPreview> {
  return call<EvaluationPreview>('preview_evaluation', { year, component, path })
}

/** Imports chosen ballot files or panel sheets for a component, each file on its own. */
export function importEvaluations(
  year: number,
  component: string,
  paths: string[],
  partial: boolean,
): Promise<FileReport[]> {
  return call<FileReport[]>('import_evaluations', { year, component, paths, partial })
}

/** Withdraws a ballot file or panel sheet; its counts or scores stop counting. */
export function withdrawEvaluationFile(year: number, id: number): Promise<WithdrawReport> {
  return call<WithdrawReport>('withdraw_evaluation_file', { year, id })
}

/**
 * Asks where to save and writes the signed-sheet workbook of a source's components
 * (测评汇总表 for ballots, 评委评分汇总表 for the panel); the path, or null when cancelled.
 */
export function exportEvaluations(year: number, source: ComponentSource): Promise<string | null> {
  return call<string | null>('export_evaluations', { year, source })
}

/** Where the campaign stands, with the charts' figures. */
export function dashboard(year: number): Promise<Dashboard> {
  return call<Dashboard>('dashboard', { year })
}

/** Imports a chosen awards registry (命名记录). */
export function importRegistry(path: string, partial: boolean): Promise<FileReport> {
  return call<FileReport>('import_registry', { path, partial })
}

/** The awards registry. */
export function listAwards(): Promise<AwardRow[]> {
  return call<AwardRow[]>('list_awards')
}

/** The review on a date (nothing changes). */
export function runReview(year: number, date: string): Promise<ReviewView> {
  return call<ReviewView>('run_review', { year, date })
}

/** The review applied in the year, as recorded; null when none was applied. */
export function appliedReview(year: number): Promise<ReviewRecord | null> {
  return call<ReviewRecord | null>('applied_review', { year })
}

/** Applies the review to the registry (audited); refused once the year's review was applied. */
export function applyReview(year: number, date: string): Promise<Applied> {
  return call<Applied>('apply_review', { year, date })
}

/** Accepts the rectification of an award (audited). */
export function markRectified(awardId: number, date: string): Promise<AwardRow> {
  return call<AwardRow>('mark_rectified', { awardId, date })
}

/**
 * Asks where to save and writes the result workbook with the review applied in the year,
 * else the review of `date` (not applied).
 */
export function exportReview(year: number, date: string): Promise<string | null> {
  return call<string | null>('export_results', { year, reviewDate: date })
}

/** Audit rows matching the filter, newest first. */
export function listAudit(filter: Filter): Promise<AuditRow[]> {
  return call<AuditRow[]>('list_audit', { filter })
}

/** Walks the audit log's hash chain. */
export function verifyAudit(): Promise<VerifyReport> {
  return call<VerifyReport>('verify_audit')
}

/** Asks where to save and writes a table as shown; null when cancelled. */
export function exportTable(name: string, headers: string[], rows: TableCell[][]): Promise<string | null> {
  return call<string | null>('export_table', { name, headers, rows })
}

/** The settings as the screen shows them. */
export function getSettings(): Promise<SettingsView> {
  return call<SettingsView>('get_settings')
}

/** Sets the operator's name (blank: the default). */
export function setOperator(name: string): Promise<SettingsView> {
  return call<SettingsView>('set_operator', { name })
}

/** Asks for a database file and works on it from now on; null when cancelled. */
export function chooseDatabase(): Promise<SettingsView | null> {
  return call<SettingsView | null>('choose_database')
}

/** Goes back to the default database location. */
export function useDefaultDatabase(): Promise<SettingsView> {
  return call<SettingsView>('use_default_database')
}

/** Asks where to save and writes a backup; null when cancelled. */
export function backupDatabase(): Promise<string | null> {
  return call<string | null>('backup_database')
}

/** Replaces the database with a chosen backup. */
export function restoreDatabase(path: string): Promise<void> {
  return call<void>('restore_database', { path })
}

/** Loads the demo campaign (in its own year, outside the real ones). */
export function loadDemo(): Promise<DemoReport> {
  return call<DemoReport>('load_demo')
}

/** What deleting a campaign would remove, and whether it may be deleted. */
export function campaignDeletion(year: number): Promise<Deletion> {
  return call<Deletion>('campaign_deletion', { year })
}

/** Deletes a draft campaign, or the demo with all it brought (audited). */
export function deleteCampaign(year: number): Promise<Deletion> {
  return call<Deletion>('delete_campaign', { year })
}

/** The campaign's scheme as a form. */
export function loadScheme(year: number): Promise<SchemeView> {
  return call<SchemeView>('load_scheme', { year })
}

/** The core's verdict on a form: its TOML, or every issue with its key path. */
export function checkScheme(form: SchemeForm): Promise<Checked> {
  return call<Checked>('check_scheme', { form })
}

/** Saves a form as the campaign's scheme (checked by the core; audited). */
export function saveScheme(year: number, form: SchemeForm): Promise<CampaignSummary> {
  return call<CampaignSummary>('save_scheme', { year, form })
}

/** Reads a chosen scheme file into a form (nothing is saved). */
export function importScheme(path: string): Promise<SchemeForm> {
  return call<SchemeForm>('import_scheme', { path })
}

/** Asks where to save and writes a valid form as TOML; null when cancelled. */
export function exportScheme(form: SchemeForm, name: string): Promise<string | null> {
  return call<string | null>('export_scheme', { form, name })
}

/** Asks where to save and writes the return template of a valid form; null when cancelled. */
export function saveTemplate(form: SchemeForm, year: number): Promise<string | null> {
  return call<string | null>('save_template', { form, year })
}

/** The campaign's notices of a kind with their default settings. */
export function noticeSources(year: number, kind: NoticeKind): Promise<CampaignNotices> {
  return call<CampaignNotices>('notice_sources', { year, kind })
}

/** The 情况通报 of the ledger on a date (no campaign); refused when nothing is overdue or due soon. */
export function bulletinSources(date: string): Promise<CampaignNotices> {
  return call<CampaignNotices>('bulletin_sources', { date })
}

/** One notice's filled words for the preview. */
export function previewNotice(settings: NoticeSettings, notice: Notice): Promise<Preview> {
  return call<Preview>('preview_notice', { settings, notice })
}

/** Asks where to save and writes the notices as one .docx; null when cancelled. */
export function exportNotices(year: number, settings: NoticeSettings, notices: Notice[]): Promise<string | null> {
  return call<string | null>('export_notices', { year, settings, notices })
}

/** The 公示 panel today: rounds, objections (never their objectors), why 发布 must wait. */
export function publicity(year: number): Promise<PublicityView> {
  return call<PublicityView>('publicity', { year })
}

/** The round starting on `from` (YYYY-MM-DD): its end and agencies; nothing is stored. */
export function planPublicity(year: number, from: string, days: number | null): Promise<PlanView> {
  return call<PlanView>('plan_publicity', { year, from, days })
}

/** Starts a round of 公示 (the first, or a supplementary one). */
export function startPublicity(year: number, from: string, days: number | null): Promise<PlanView> {
  return call<PlanView>('start_publicity', { year, from, days })
}

/** Records an objection. */
export function addObjection(year: number, input: ObjectionInput): Promise<ObjectionView> {
  return call<ObjectionView>('add_objection', { year, input })
}

/** Settles an objection; upheld, the agency is excluded and the selection re-run. */
export function resolveObjection(
  year: number,
  id: number,
  resolution: ObjectionResolution,
  reason: string,
  date: string,
): Promise<ObjectionView> {
  return call<ObjectionView>('resolve_objection', { year, id, resolution, reason, date })
}

/** 导出历年情况: the first and last year of the stored campaigns (null: none). */
export function historyYears(): Promise<YearRange | null> {
  return call<YearRange | null>('history_years')
}

/** Asks where to save and writes the 历年情况 workbook from `from` to `to`; null when cancelled. */
export function exportHistory(from: number, to: number): Promise<string | null> {
  return call<string | null>('export_history', { from, to })
}

/** 单位查询: agencies whose name contains `query` or whose USCC starts with it. */
export function searchAgencies(query: string): Promise<AgencySearch> {
  return call<AgencySearch>('search_agencies', { query })
}

/** The agency page: one agency's history across every campaign, its ledger coloured. */
export function agencyHistory(agencyId: number): Promise<AgencyPage> {
  return call<AgencyPage>('agency_history', { agencyId })
}

/** 登记督查: records a supervision of an agency (audited), or the refusal at its field. */
export function addSupervision(input: SupervisionInput): Promise<SupervisionAdded> {
  return call<SupervisionAdded>('add_supervision', { input })
}

/** 登记问责: records accountability of an agency or a cadre of it (audited), or the refusal at its field. */
export function addAccountability(input: AccountabilityInput): Promise<AccountabilityAdded> {
  return call<AccountabilityAdded>('add_accountability', { input })
}

/** 监督问责: the records of every agency the query keeps, each supervision with its found items. */
export function supervisionScreen(query: SupervisionQuery): Promise<SupervisionScreen> {
  return call<SupervisionScreen>('supervision_screen', { query })
}

/** 新增发现问题: a problem found in a supervision record, entered into the ledger (audited), or the refusal at its field. */
export function addFoundProblem(input: FoundInput): Promise<Added> {
  return call<Added>('add_found_problem', { input })
}

/** A year's holiday arrangement, or that it has none. */
export function calendarYear(year: number): Promise<YearView> {
  return call<YearView>('calendar_year', { year })
}

/** Lists a day as a holiday or a worked weekend day (`null`: takes it off the list). */
export function setCalendarDay(day: string, kind: CalendarDayKind | null): Promise<YearView> {
  return call<YearView>('set_calendar_day', { day, kind })
}

/** Imports a chosen holiday-arrangement file. */
export function importCalendar(path: string): Promise<ImportedYear[]> {
  return call<ImportedYear[]>('import_calendar', { path })
}

/** 清单台账: the items with their status on the query's date, the counts and the filters' choices. */
export function ledgerView(query: LedgerQuery): Promise<LedgerView> {
  return call<LedgerView>('ledger_view', { query })
}

/** What importing a chosen ledger workbook would do (rows without a 清单类型 cell belong to `kind`). */
export function previewLedger(path: string, kind: LedgerKind | null): Promise<LedgerPreview> {
  return call<LedgerPreview>('preview_ledger', { path, kind })
}

/** Imports chosen ledger workbooks, each in its own transaction (in part with `partial`). */
export function importLedger(paths: string[], kind: LedgerKind | null, partial: boolean): Promise<FileReport[]> {
  return call<FileReport[]>('import_ledger', { paths, kind, partial })
}

/** 新增事项: the item, or the refusal at its field. */
export function addLedgerItem(input: LedgerInput): Promise<Added> {
  return call<Added>('add_ledger_item', { input })
}

/** 标记完成 on a date, with what its completion says. */
export function markLedgerDone(id: number, date: string, evidence: string | null): Promise<Marked> {
  return call<Marked>('mark_ledger_done', { id, date, evidence })
}

/** 清单台账's 已导入文件: every imported ledger file, withdrawn ones too, oldest first. */
export function ledgerFiles(): Promise<FileRow[]> {
  return call<FileRow[]>('ledger_files')
}

/** Withdraws a ledger file: its new items deleted, the items it updated restored (audited). */
export function withdrawLedgerFile(id: number): Promise<WithdrawReport> {
  return call<WithdrawReport>('withdraw_ledger_file', { id })
}

/** An item's earlier states, oldest first. */
export function ledgerHistory(id: number): Promise<LedgerChange[]> {
  return call<LedgerChange[]>('ledger_history', { id })
}

/** Asks where to save and writes the ledger workbook of what the query keeps; null when cancelled. */
export function exportLedger(query: LedgerQuery): Promise<string | null> {
  return call<string | null>('export_ledger', { query })
}

// 工作台: the campaign's steps and the figures of its charts.
import type { Dashboard } from '../bindings'

export type { Dashboard }

export type StepState = 'done' | 'current' | 'todo'

export interface Step {
  key: 'scheme' | 'imports' | 'selection' | 'publicity' | 'review' | 'publish'
  title: string
  /** The screen that does this step. */
  path: string
  state: StepState
  /** What has been done, in figures. */
  detail: string
  /** What is left, or '' when nothing. */
  left: string
}

/** The 公示 step's figures: "尚未公示", or its rounds, agencies and objections. */
export function publicityDetail(p: Dashboard['publicity']): string {
  if (p.working_days === 0) return '评选方案不设公示'
  if (p.rounds === 0) return '尚未公示'
  const objections = p.objections === 0 ? '无异议' : `异议${p.objections}条${p.objections_open ? `（未处理${p.objections_open}条）` : ''}`
  return `${p.rounds}轮 · 公示${p.publicised}家 · ${objections}`
}

/**
 * The six steps of the year, each done or not; the first one not done is current. Whether
 * 公示 is done is the core's rule (`publicity.done`, on today's date).
 */
export function campaignSteps(d: Dashboard): Step[] {
  const { campaign: c, files, selection: s, review: r } = d
  // Every figure is the last run's as stored; a stale run is not done.
  const ran = d.run !== null
  const stale = d.run?.notice ?? null
  const published = c.status === 'published'
  const held = r.active + r.rectifying
  const raw: Omit<Step, 'state'>[] = [
    {
      key: 'scheme',
      title: '评选方案',
      path: '/scheme',
      detail: `${d.scheme.components}项考核指标 · ${d.scheme.vetoes}项一票否决 · ${d.scheme.quota_rules}条名额规则`,
      left: '',
    },
    {
      key: 'imports',
      title: '数据导入',
      path: '/imports',
      detail: `${files.live}个文件 · ${c.returns}条申报${files.partial ? `（其中${files.partial}个文件部分导入）` : ''}`,
      left: c.returns === 0 ? '导入各单位报送的申报表' : '',
    },
    {
      key: 'selection',
      title: '评选',
      path: '/results',
      detail: ran
        ? `${s.pools}个组 · 名额${s.quota}个 · 入选${s.statuses.selected}家`
        : c.returns > 0
          ? '尚未运行评选'
          : '—',
      left: !ran
        ? '运行评选'
        : stale !== null && !published
          ? '数据已变化，重新运行评选'
          : (s.statuses.tie_pending ?? 0) > 0
          ? `${s.statuses.tie_pending}家并列待定，需评审组决定`
          : '',
    },
    {
      key: 'publicity',
      title: '公示',
      path: '/publicity',
      detail: publicityDetail(d.publicity),
      left: d.publicity.left.join('；'),
    },
    {
      key: 'review',
      title: '复查',
      path: '/reviews',
      detail:
        held === 0 && r.revoked === 0
          ? '尚无命名记录'
          : `命名记录：保持${r.active} · 整改中${r.rectifying} · 已撤销${r.revoked}${r.applied ? ` · 已于${r.applied.applied_at.slice(0, 10)}应用复查结果（复查${r.applied.due}家）` : ''}`,
      // An empty registry is not "nothing to review": the review needs the registry first.
      // Once the year's review is applied the step is done (it can be applied only once).
      left:
        held === 0 && r.revoked === 0
          ? '导入历年命名记录（复查需要）'
          : held > 0 && r.applied === null
            ? '对已命名单位进行复查并应用结果'
            : '',
    },
    {
      key: 'publish',
      title: '发布',
      path: '/results',
      detail: published ? '已发布' : '未发布',
      left: published ? '' : '发布评选结果',
    },
  ]
  const done = raw.map((step) => {
    switch (step.key) {
      case 'scheme':
        return true
      case 'imports':
        return c.returns > 0
      case 'selection':
        return ran && (stale === null || published) && s.statuses.tie_pending === 0
      case 'publicity':
        return d.publicity.done
      case 'review':
        return step.left === ''
      case 'publish':
        return published
    }
  })
  const current = done.indexOf(false)
  return raw.map((step, i) => ({ ...step, state: done[i] ? 'done' : i === current ? 'current' : 'todo' }))
}

export interface Histogram {
  labels: string[]
  counts: number[]
}

/**
 * Composite scores in bins of `width` points from `from` to 100 ("85–90" holds 85.00 to
 * 89.99; 100 falls in the last bin), with one bin for everything below `from`.
 */
export function histogram(composites: readonly string[], from = 70, width = 5): Histogram {
  const edges: number[] = []
  for (let x = from; x < 100; x += width) edges.push(x)
  const labels = [`${from}以下`, ...edges.map((x) => `${x}–${Math.min(100, x + width)}`)]
  const counts = new Array<number>(labels.length).fill(0)
  for (const text of composites) {
    const v = Number(text)
    if (!Number.isFinite(v)) continue
    if (v < from) counts[0] += 1
    else counts[Math.min(edges.length, Math.floor((v - from) / width) + 1)] += 1
  }
  return { labels, counts }
}


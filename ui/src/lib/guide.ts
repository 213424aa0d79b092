// 下一步: after each key step of the year, what to do next and where — shown as a card
// at the top of the screen where the step was taken (`components/NextStepCard.vue`).

/** A key step the clerk has just taken, with what the pointer needs to know. */
export type Milestone =
  | { kind: 'created'; title: string }
  | { kind: 'imported'; files: number; returns: number }
  | { kind: 'selected'; selected: number; tiePending: number }
  | { kind: 'published'; awards: number }
  | { kind: 'demo'; title: string; returns: number }

export interface NextAction {
  label: string
  path: string
}

export interface NextStep {
  /** What was done. */
  done: string
  /** What comes next, in a sentence. */
  next: string
  /** Buttons taking the clerk there (the first is the main one). */
  actions: NextAction[]
}

/** The pointer after a milestone; null when there is nothing to point to (nothing imported). */
export function nextStep(m: Milestone): NextStep | null {
  switch (m.kind) {
    case 'created':
      return {
        done: `已新建${m.title}`,
        next: '下一步：导入各单位报送的申报表（可先在“评选方案”中核对指标、权重和名额）。',
        actions: [
          { label: '导入申报表', path: '/imports' },
          { label: '查看评选方案', path: '/scheme' },
        ],
      }
    case 'imported':
      if (m.files === 0) return null
      return {
        done: `已导入${m.files}个文件，现有申报${m.returns}条`,
        next: '下一步：运行评选，按方案计算综合得分并在名额内评选。',
        actions: [
          { label: '前往运行评选', path: '/results' },
          { label: '查看参评单位', path: '/returns' },
        ],
      }
    case 'selected':
      return m.tiePending > 0
        ? {
            done: `评选已运行：入选${m.selected}家，另有${m.tiePending}家并列待定`,
            next: '下一步：由评审组决定并列待定的单位（在结果表中点“调整”），再公示并发布。',
            actions: [{ label: '复查已命名单位', path: '/reviews' }],
          }
        : {
            done: `评选已运行：入选${m.selected}家`,
            next: '下一步：核对结果并公示，然后点“发布”记入命名记录；已命名单位的复查在“复查管理”中进行。',
            actions: [
              { label: '复查已命名单位', path: '/reviews' },
              { label: '查看工作台', path: '/dashboard' },
            ],
          }
    case 'published':
      return {
        done: `已发布，${m.awards}家单位记入命名记录`,
        next: '下一步：生成命名决定等通知文书。',
        actions: [{ label: '前往通知文书', path: '/notices' }],
      }
    case 'demo':
      return {
        done: `已载入示例数据：${m.title}，申报${m.returns}条`,
        next: '示例年度单独存放，不占用真实年度、不影响真实评选；熟悉后可在“评选年度”中一键删除。',
        actions: [
          { label: '查看评选结果', path: '/results' },
          { label: '评选年度', path: '/campaigns' },
        ],
      }
  }
}

/** The milestone of a selection just run, from its pools' figures. */
export function selectionMilestone(v: { pools: readonly { selected: number; tie_pending: number }[] }): Milestone {
  const sum = (f: (p: { selected: number; tie_pending: number }) => number) => v.pools.reduce((n, p) => n + f(p), 0)
  return { kind: 'selected', selected: sum((p) => p.selected), tiePending: sum((p) => p.tie_pending) }
}

/** The milestone of an import batch: the files stored (whole or in part), and the returns now held. */
export function importMilestone(reports: readonly { status: string }[], returns: number): Milestone {
  return { kind: 'imported', files: reports.filter((r) => r.status === 'imported').length, returns }
}

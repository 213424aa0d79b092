import { describe, expect, it } from 'vitest'
import { importMilestone, nextStep, selectionMilestone } from './guide'

describe('next-step pointers', () => {
  it('points from a new year to the import of returns', () => {
    const s = nextStep({ kind: 'created', title: '2026年度模范机关评选' })
    expect(s?.done).toBe('已新建2026年度模范机关评选')
    expect(s?.next).toMatch(/^下一步：导入各单位报送的申报表/)
    expect(s?.actions[0]).toEqual({ label: '导入申报表', path: '/imports' })
  })

  it('points from an import to running the selection, and nowhere when nothing was imported', () => {
    const s = nextStep({ kind: 'imported', files: 3, returns: 40 })
    expect(s?.done).toBe('已导入3个文件，现有申报40条')
    expect(s?.actions[0].path).toBe('/results')
    expect(nextStep({ kind: 'imported', files: 0, returns: 40 })).toBeNull()
  })

  it('points from a run to the panel when ties are pending, else to publishing and the review', () => {
    const tied = nextStep({ kind: 'selected', selected: 9, tiePending: 2 })
    expect(tied?.done).toBe('评选已运行：入选9家，另有2家并列待定')
    expect(tied?.next).toMatch(/评审组决定并列待定/)
    const clear = nextStep({ kind: 'selected', selected: 10, tiePending: 0 })
    expect(clear?.next).toMatch(/公示.*发布/)
    expect(clear?.actions.map((a) => a.path)).toEqual(['/reviews', '/dashboard'])
  })

  it('points from publishing to the notices, and from the demo to where it can be deleted', () => {
    expect(nextStep({ kind: 'published', awards: 10 })?.actions).toEqual([{ label: '前往通知文书', path: '/notices' }])
    const demo = nextStep({ kind: 'demo', title: '【示例】模范机关评选', returns: 48 })
    expect(demo?.next).toMatch(/不占用真实年度.*一键删除/)
    expect(demo?.actions.map((a) => a.path)).toContain('/campaigns')
  })

  it('reads the milestone of a run and of an import batch', () => {
    const pools = [
      { selected: 3, tie_pending: 0 },
      { selected: 1, tie_pending: 2 },
    ]
    expect(selectionMilestone({ pools })).toEqual({ kind: 'selected', selected: 4, tiePending: 2 })
    const reports = [{ status: 'imported' }, { status: 'rejected' }, { status: 'duplicate' }, { status: 'imported' }]
    expect(importMilestone(reports, 57)).toEqual({ kind: 'imported', files: 2, returns: 57 })
    expect(nextStep(importMilestone([{ status: 'rejected' }], 0))).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import {
  actionLabel,
  auditTable,
  describeEvent,
  emptyAuditForm,
  nextDay,
  prettyDetails,
  toAuditFilter,
  verifyMessage,
} from './audit'

describe('events in Chinese', () => {
  it('names actions, unknown ones as their code', () => {
    expect(actionLabel('import.file')).toBe('导入申报表')
    expect(actionLabel('select.override')).toBe('评审组调整')
    expect(actionLabel('x.y')).toBe('x.y')
  })

  it('names a scheme change instead of showing its code', () => {
    expect(actionLabel('campaign.scheme')).toBe('修改评选方案')
    expect(describeEvent({ action: 'campaign.scheme', details: JSON.stringify({ campaign: 2026, from: 'ab', to: 'cd', rerun: true }) })).toBe(
      '2026年度：评选方案已修改，已运行的评选需重新运行',
    )
    expect(describeEvent({ action: 'campaign.scheme', details: JSON.stringify({ campaign: 2026, rerun: false }) })).toBe('2026年度：评选方案已修改')
  })

  it('describes each kind of event from its details', () => {
    expect(
      describeEvent({
        action: 'import.file',
        details: JSON.stringify({ campaign: 2026, file: 'a.xlsx', rows: 27, imported: 27, replaced: 2, partial: false, mapped_by_hand: ['申报:J列“民意调查”→群众测评'] }),
      }),
    ).toBe('2026年度《a.xlsx》：导入27条（共27行），替换2条，手动指定列：申报:J列“民意调查”→群众测评')
    expect(
      describeEvent({
        action: 'select.override',
        details: JSON.stringify({ campaign: 2026, name: '甲局', action: 'include', reason: '事迹突出', beyond_quota: true }),
      }),
    ).toBe('2026年度：甲局 纳入（理由：事迹突出），超出名额（已确认）')
    expect(describeEvent({ action: 'review.apply', details: JSON.stringify({ campaign: 2026, date: '2026-12-01', reviewed: 12, retain: 1, rectify: 10, revoke: 1 }) })).toBe(
      '2026年度 2026-12-01：复查12家，保留1、整改10、撤销1',
    )
    expect(describeEvent({ action: 'selection.run', details: JSON.stringify({ campaign: 2026, trigger: 'run', returns: 39, selected: 9, first: true, changes: [] }) })).toBe(
      '2026年度：39条申报，入选9家；首次运行',
    )
    expect(
      describeEvent({
        action: 'selection.run',
        details: JSON.stringify({
          campaign: 2026,
          trigger: 'override',
          returns: 40,
          selected: 9,
          first: false,
          changes: [
            { name: '甲局', from: 'selected', to: 'not_selected' },
            { name: '乙局', from: null, to: 'selected' },
            { name: '丙局', from: 'ineligible', to: null },
          ],
        }),
      }),
    ).toBe('2026年度（评审组调整后）：40条申报，入选9家；3家单位状态变化：甲局入选→未入选、乙局（新增）→入选、丙局不符合条件→（已撤回）')
    expect(describeEvent({ action: 'x.y', details: '{"a":1,"b":[2]}' })).toBe('a：1；b：[2]')
    expect(describeEvent({ action: 'x.y', details: 'not json' })).toBe('')
  })
})

describe('filter form', () => {
  it('includes the end day and drops blank fields', () => {
    expect(nextDay('2026-11-30')).toBe('2026-12-01')
    expect(nextDay('2026-12-31')).toBe('2027-01-01')
    expect(toAuditFilter(emptyAuditForm())).toEqual({ action: null, operator: null, from: null, until: null, text: null, limit: null })
    expect(toAuditFilter({ group: 'import.', operator: ' 王科员 ', range: ['2026-11-01', '2026-11-26'], text: '越秀' }, 100)).toEqual({
      action: 'import.',
      operator: '王科员',
      from: '2026-11-01',
      until: '2026-11-27',
      text: '越秀',
      limit: 100,
    })
  })
})

describe('chain check', () => {
  it('says whether the chain holds and where it breaks', () => {
    expect(verifyMessage({ rows: 12, broken: null })).toEqual({ ok: true, text: '校验通过：共 12 条记录，哈希链完整，没有被改动或删除的记录。' })
    const bad = verifyMessage({ rows: 5, broken: { seq: 5, reason: '哈希不符' } })
    expect(bad.ok).toBe(false)
    expect(bad.text).toMatch(/^第 5 条记录校验失败：哈希不符/)
  })

  it('exports rows as shown and pretty-prints details', () => {
    const t = auditTable([{ seq: 3, at: '2026-11-26T10:05:00+08:00', operator: '王科员', action: 'campaign.create', details: '{"title":"2026年度模范机关评选","default_scheme":true}', prev_hash: '', hash: 'ab' }])
    expect(t.headers).toEqual(['序号', '时间', '操作人', '操作', '说明', '哈希'])
    expect(t.rows[0]).toEqual([3, '2026-11-26 10:05', '王科员', '新建评选年度', '2026年度模范机关评选（默认方案）', 'ab'])
    expect(prettyDetails('{"a":1}')).toBe('{\n  "a": 1\n}')
  })

  it('describes the deletion of a campaign, and of the demo with its registry', () => {
    const row = (details: object) => ({ action: 'campaign.delete', details: JSON.stringify(details) })
    const base = { campaign: 2026, title: '2026年度模范机关评选', demo: false, returns: 5, files: 2, overrides: 1, reviews: 0, awards: 0 }
    expect(actionLabel('campaign.delete')).toBe('删除评选年度')
    expect(describeEvent(row(base))).toBe('2026年度模范机关评选：删除申报5条、导入文件2个、评审组调整1条')
    expect(describeEvent(row({ ...base, title: '【示例】模范机关评选', demo: true, reviews: 3, awards: 4 }))).toBe(
      '【示例】模范机关评选：删除申报5条、导入文件2个、评审组调整1条、复查记录3条、虚构的命名记录4条',
    )
  })
})

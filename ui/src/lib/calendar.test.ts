import { describe, expect, it } from 'vitest'
import { calendarLine, calendarRows, importedLine, problemLines, weekdayOf } from './calendar'

const base = { year: 2026, holidays: [], workdays: [], working_days: 261, file_name: null, sha256: null, imported_at: null }

describe('节假日安排', () => {
  it('summarises a year and an import', () => {
    expect(calendarLine({ ...base, arranged: false, warning: '未设置2026年节假日安排，仅按周末计算' })).toBe(
      '未设置2026年节假日安排，仅按周末计算',
    )
    expect(
      calendarLine({ ...base, arranged: true, warning: null, holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-10-10'], working_days: 250 }),
    ).toBe('2026年：放假2天，调休上班1天，全年工作日250天')
    expect(
      importedLine([
        { year: 2026, holidays: 13, workdays: 3, replaced: false },
        { year: 2027, holidays: 12, workdays: 2, replaced: true },
      ]),
    ).toBe('已导入节假日安排：2026年（放假13天，调休上班3天）、2027年（替换原有安排，放假12天，调休上班2天）')
  })

  it('lists the days in date order with their weekday and label', () => {
    expect(weekdayOf('2026-11-04')).toBe('星期三')
    const rows = calendarRows({ ...base, arranged: true, warning: null, holidays: ['2026-11-04', '2026-12-25'], workdays: ['2026-11-14'] })
    expect(rows.map((r) => [r.day, r.weekday, r.label])).toEqual([
      ['2026-11-04', '星期三', '放假'],
      ['2026-11-14', '星期六', '调休上班'],
      ['2026-12-25', '星期五', '放假'],
    ])
  })

  it('puts each problem of a refused file on its own line', () => {
    expect(problemLines('节假日安排文件 坏.toml 有误，未导入：第3行 years[0].year：年份应为整数；第5行：日期 2026-10-01 重复')).toEqual([
      '节假日安排文件 坏.toml 有误，未导入：',
      '第3行 years[0].year：年份应为整数',
      '第5行：日期 2026-10-01 重复',
    ])
    expect(problemLines('无法读取节假日安排文件 x：没有权限')).toEqual(['无法读取节假日安排文件 x：没有权限'])
  })
})

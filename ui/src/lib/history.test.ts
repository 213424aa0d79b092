import { describe, expect, it } from 'vitest'
import { rangeError, rangeForm } from './history'

describe('导出历年情况', () => {
  it('offers the stored campaigns’ range, or nothing without a campaign', () => {
    expect(rangeForm({ from: 2022, to: 2026 })).toEqual({ from: 2022, to: 2026 })
    expect(rangeForm(null)).toEqual({ from: null, to: null })
  })

  it('refuses a range not filled or the wrong way round, and takes one year', () => {
    for (const [from, to, want] of [
      [2022, 2026, null],
      [2026, 2026, null],
      [2027, 2026, '起始年度2027晚于截止年度2026'],
      [null, 2026, '请填写起止年度'],
      [2022, null, '请填写起止年度'],
    ] as const) {
      expect(rangeError({ from, to }), `${from}-${to}`).toBe(want)
    }
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import labels from './vocabulary.json'
import { findLabel, labelOf, setVocabulary, terms, type Vocabulary } from './vocabulary'
import type { CampaignStatus } from './campaign'
import type { FileStatus, StoredFileStatus } from './imports'
import type { OverrideAction, ResultStatus, Tier } from './results'
import type { AwardStatus, Outcome, Trigger } from './reviews'

afterEach(() => setVocabulary(labels as Vocabulary))

/** The keys of a vocabulary in the core's copy. */
const keys = (name: keyof Vocabulary): string[] => terms(name).map((t) => t.key)

describe('vocabulary', () => {
  it('gives the core labels by key and shows an unknown key as it is', () => {
    expect(labelOf('tier', 'county')).toBe('县级')
    expect(labelOf('campaign_status', 'published')).toBe('已发布')
    expect(labelOf('override_action', 'exclude')).toBe('不予入选')
    expect(labelOf('fields', 'unit_type')).toBe('单位类型')
    expect(findLabel('outcome', 'sideways')).toBeUndefined()
    expect(labelOf('outcome', 'sideways')).toBe('sideways')
    expect(findLabel('tier', 'toString')).toBeUndefined()
  })

  it('follows the vocabulary it is given', () => {
    setVocabulary({ ...(labels as Vocabulary), tier: [{ key: 'county', label: '县（市、区）级' }] })
    expect(labelOf('tier', 'county')).toBe('县（市、区）级')
    expect(keys('tier')).toEqual(['county'])
    expect(findLabel('tier', 'city')).toBeUndefined()
  })

  it('has exactly the values the TypeScript types of the boundary name', () => {
    // A type here that names a value the core does not have (or misses one) fails the build
    // of these lists or this comparison.
    const tiers: Tier[] = ['province', 'city', 'county']
    const results: ResultStatus[] = ['selected', 'tie_pending', 'not_selected', 'ineligible']
    const campaigns: CampaignStatus[] = ['draft', 'selected', 'published']
    const files: FileStatus[] = ['imported', 'rejected', 'duplicate']
    const stored: StoredFileStatus[] = ['imported', 'partial', 'withdrawn']
    const triggers: Trigger[] = ['veto', 'deadline', 'complaints', 'cycle']
    const outcomes: Outcome[] = ['retain', 'rectify', 'revoke']
    const awards: AwardStatus[] = ['active', 'rectifying', 'revoked']
    expect(keys('tier')).toEqual(tiers)
    expect(keys('selection_status')).toEqual(results)
    expect(keys('campaign_status')).toEqual(campaigns)
    expect(keys('file_status')).toEqual(files)
    expect(keys('stored_file_status')).toEqual(stored)
    expect(keys('trigger')).toEqual(triggers)
    expect(keys('outcome')).toEqual(outcomes)
    expect(keys('award_status')).toEqual(awards)
    const actions: OverrideAction[] = ['include', 'exclude', 'clear']
    expect(keys('override_action')).toEqual(actions)
  })
})

// The core's vocabulary: every stored or shown word (tiers, statuses, outcomes, fields)
// with its one Chinese label, as the `vocabulary` command returns it (`mofan::vocab::labels`).
// The window loads it once before it mounts (`stores/vocabulary.ts`) and every screen takes
// its labels from here instead of typing them again. Unit tests load the copy checked in
// beside this file (`vocabulary.json`), which a core test keeps equal to the core's.

import type { Labels, Term } from '../bindings'

/** One value: its stored / JSON spelling and its Chinese label. */
export type { Term }

/** Every vocabulary, keyed as the core names them (the `vocabulary` command's answer). */
export type Vocabulary = Labels

export type VocabularyName = keyof Vocabulary

const EMPTY: Vocabulary = {
  tier: [],
  selection_status: [],
  campaign_status: [],
  file_status: [],
  stored_file_status: [],
  preview_state: [],
  trigger: [],
  outcome: [],
  award_status: [],
  override_action: [],
  run_trigger: [],
  run_input: [],
  component_source: [],
  calendar_day_kind: [],
  objection_channel: [],
  objection_resolution: [],
  ledger_kind: [],
  ledger_level: [],
  ledger_source: [],
  ledger_status: [],
  accountability_blocks: [],
  supervision_kind: [],
  accountability_kind: [],
  accountability_kind_organisation: [],
  accountability_kind_person: [],
  fields: [],
}

let current: Vocabulary = EMPTY
let index = new Map<VocabularyName, Map<string, string>>()

/** Replaces the vocabulary (once at start; tests set the checked-in copy). */
export function setVocabulary(v: Vocabulary): void {
  current = v
  index = new Map(
    (Object.keys(v) as VocabularyName[]).map((name) => [name, new Map(v[name].map((t) => [t.key, t.label]))]),
  )
}

/** Every value of a vocabulary, in the core's order. */
export function terms(name: VocabularyName): readonly Term[] {
  return current[name]
}

/** The label of a value, or undefined when the vocabulary has no such key. */
export function findLabel(name: VocabularyName, key: string): string | undefined {
  return index.get(name)?.get(key)
}

/** The label of a value; an unknown key is shown as it is rather than hidden. */
export function labelOf(name: VocabularyName, key: string): string {
  return findLabel(name, key) ?? key
}

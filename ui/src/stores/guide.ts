// The next-step pointer the layout shows after a key step (see lib/guide.ts). It belongs to
// the screen where the step was taken: going to another screen, or to another campaign,
// clears it.
import { ref } from 'vue'
import { nextStep, type Milestone, type NextStep } from '../lib/guide'

const pointer = ref<NextStep | null>(null)

/** Shows the pointer after `m` (or none, when there is nothing to point to). */
function point(m: Milestone): void {
  pointer.value = nextStep(m)
}

function clear(): void {
  pointer.value = null
}

export function useGuide() {
  return { pointer, point, clear }
}

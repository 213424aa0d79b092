// The campaign the window works on, shared by every screen and remembered between runs.
import { computed, ref } from 'vue'
import { listCampaigns, toApiError } from '../api'
import { chooseCurrent, parseRememberedYear, sortCampaigns, type CampaignSummary } from '../lib/campaign'

const STORAGE_KEY = 'mofan.campaign'

const campaigns = ref<CampaignSummary[]>([])
const year = ref<number | null>(null)
const loadError = ref<string | null>(null)
const loaded = ref(false)

function remembered(): number | null {
  try {
    return parseRememberedYear(localStorage.getItem(STORAGE_KEY))
  } catch {
    return null
  }
}

function remember(value: number | null): void {
  try {
    if (value === null) localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, String(value))
  } catch {
    // Storage unavailable: the choice lasts for this session only.
  }
}

/** Reloads the campaign list and keeps (or chooses) the current campaign. */
async function refresh(): Promise<void> {
  try {
    campaigns.value = sortCampaigns(await listCampaigns())
    loadError.value = null
    year.value = chooseCurrent(campaigns.value, year.value ?? remembered())
    remember(year.value)
  } catch (error) {
    loadError.value = toApiError(error).message
  } finally {
    loaded.value = true
  }
}

function select(value: number): void {
  year.value = value
  remember(value)
}

const current = computed(() => campaigns.value.find((c) => c.year === year.value) ?? null)

export function useCampaign() {
  return { campaigns, year, current, loadError, loaded, refresh, select }
}

// Display names from a provider's own model-list API, when a credential is configured: they map the
// names on a pricing page to API ids for models the maintained alias table does not know yet. The
// registry update asks for them (it knows no credentials itself).
import { consola } from 'consola'
import { errorMessage } from '../core/error-message'
import { providerAccess } from '../gateway/connections'
import { adapters } from '../providers'
import type { ProviderId } from '../registry/schema'

const TIMEOUT_MS = 10_000
const PAGE_SIZE = 1000

interface AnthropicModelList { data: { id: string, display_name?: string }[] }

async function anthropicDisplayNames(): Promise<Record<string, string>> {
  const access = providerAccess('anthropic')
  if (!access) return {}
  const { url, headers } = adapters.anthropic.api.models(access, PAGE_SIZE)
  // The request carries the credential: a redirect (to another origin or not) is refused, never followed.
  const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) })
  if (res.status >= 300 && res.status < 400) throw new Error(`the model list answered with a redirect (HTTP ${res.status}); not followed`)
  if (!res.ok) throw new Error(`the model list answered HTTP ${res.status}`)
  const list = await res.json() as AnthropicModelList
  return Object.fromEntries(list.data.filter(m => m.display_name).map(m => [m.display_name!, m.id]))
}

/** Extra display-name mappings for a provider's page; empty when there is no credential or the call fails. */
export async function providerDisplayNames(provider: ProviderId): Promise<Record<string, string>> {
  if (provider !== 'anthropic') return {}
  try {
    return await anthropicDisplayNames()
  }
  catch (error) {
    consola.warn('[registry] could not read Anthropic\'s model list; using data/model-aliases.json only:', errorMessage(error))
    return {}
  }
}

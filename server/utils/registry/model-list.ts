// Display names from a provider's own model-list API, when a credential is configured: they map the
// names on a pricing page to API ids for models the maintained alias table does not know yet.
import { ofetch } from 'ofetch'
import { consola } from 'consola'
import { providerAccess } from '../gateway/credentials'
import type { ProviderId } from './schema'

interface AnthropicModelList { data: { id: string, display_name?: string }[] }

async function anthropicDisplayNames(): Promise<Record<string, string>> {
  const access = providerAccess('anthropic')
  if (!access) return {}
  const base = access.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
  const list = await ofetch<AnthropicModelList>(`${base}/v1/models?limit=1000`, {
    headers: { 'x-api-key': access.apiKey, 'anthropic-version': '2023-06-01' },
    timeout: 10_000,
    retry: 1,
    // The request carries the credential: a redirect (to another origin or not) is refused, never followed.
    redirect: 'manual',
    onResponse({ response }) {
      if (response.status >= 300 && response.status < 400) throw new Error(`the model list answered with a redirect (HTTP ${response.status}); not followed`)
    },
  })
  return Object.fromEntries(list.data.filter(m => m.display_name).map(m => [m.display_name!, m.id]))
}

/** Extra display-name mappings for a provider's page; empty when there is no credential or the call fails. */
export async function providerDisplayNames(provider: ProviderId): Promise<Record<string, string>> {
  if (provider !== 'anthropic') return {}
  try {
    return await anthropicDisplayNames()
  }
  catch (error) {
    consola.warn('[registry] could not read Anthropic\'s model list; using data/model-aliases.json only:', error instanceof Error ? error.message : error)
    return {}
  }
}

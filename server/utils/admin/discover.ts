// Discovery: reads a connection's model list (`GET …/models`, OpenAI's and Anthropic's shape, or
// Ollama's `GET /api/tags`) and adds what it finds to the registry as that connection's models,
// unpriced until an admin prices them. The request carries the credential: redirects are refused.
import type { ProviderAccess } from '../gateway/connections'
import { adapterFor } from '../providers'
import type { ProviderEndpoint } from '../providers/types'
import { addDiscoveredModels, type DiscoveredModel } from '../registry/connection-models'
import { GatewayError } from '../core/errors'

const TIMEOUT_MS = 10_000
const PAGE_SIZE = 1000

/** Ollama's native model list, beside its OpenAI-compatible API under /v1. */
function ollamaTags(access: ProviderAccess): ProviderEndpoint {
  const root = access.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
  return { url: `${root}/api/tags`, headers: access.headers }
}

async function getJson(endpoint: ProviderEndpoint): Promise<{ status: number, body?: unknown }> {
  let res: Response
  try {
    res = await fetch(endpoint.url, { headers: endpoint.headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) })
  }
  catch {
    throw new GatewayError(502, `Could not reach ${new URL(endpoint.url).host} for its model list.`, 'upstream_error', 'upstream_unreachable')
  }
  if (!res.ok) {
    await res.body?.cancel()
    return { status: res.status }
  }
  return { status: res.status, body: await res.json().catch(() => undefined) }
}

/** Model ids in an OpenAI or Anthropic list (`data[].id`), a Gemini one (`models[].name`) or Ollama's tags (`models[].name`). */
function idsOf(body: any): string[] {
  const items: any[] = Array.isArray(body?.data) ? body.data : Array.isArray(body?.models) ? body.models : []
  return items.map(m => m?.id ?? m?.model ?? m?.name).filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 200).map(id => id.replace(/^models\//, ''))
}

const modeOf = (id: string): DiscoveredModel['mode'] => (/embed/i.test(id) ? 'embedding' : 'chat')

export async function discoverModels(access: ProviderAccess) {
  const api = adapterFor(access.type)!.api
  const tried: ProviderEndpoint[] = access.preset === 'ollama' ? [ollamaTags(access)] : [api.models(access, PAGE_SIZE)]
  // An OpenAI-compatible server without /models may be an Ollama under another name.
  if (access.type === 'openai-compatible' && access.preset !== 'ollama') tried.push(ollamaTags(access))
  let last = 0
  for (const endpoint of tried) {
    const { status, body } = await getJson(endpoint)
    last = status
    if (status === 404) continue
    if (status < 200 || status >= 300) break
    const ids = [...new Set(idsOf(body))]
    const { added, known } = await addDiscoveredModels(access.provider, ids.map(id => ({ id, mode: modeOf(id) })))
    return { provider: access.provider, source: new URL(endpoint.url).pathname, found: ids.length, added, known }
  }
  throw new GatewayError(502, `The connection's model list answered HTTP ${last}.`, 'upstream_error', last === 401 || last === 403 ? 'upstream_auth_failed' : 'upstream_error')
}

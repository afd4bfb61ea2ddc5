// Model resolution: a registry id or alias picks its provider; `provider/model` forces one; a
// snapshot id the registry does not list is priced as its family (registry/snapshots.ts) and sent
// upstream as the client named it.
import { adapterFor } from '../providers'
import type { ProviderAdapter, UpstreamTarget } from '../providers/types'
import { findModel } from '../registry/store'
import { snapshotEntry } from '../registry/snapshots'
import { effectivePricing } from '../registry/price-source'
import type { ModelEntry, ProviderId } from '../registry/schema'
import type { GatewayKey } from '../store/keys'
import { config } from '../core/config'
import { isOfficial, providerAccess } from './connections'
import { GatewayError } from '../core/errors'
import { checkModelAllowed } from './limits'
import { findRoute, targetOrder } from './routes'

export interface ResolvedModel {
  adapter: ProviderAdapter
  target: UpstreamTarget
  /** The model (or route) name the client sent, which the request log keeps. */
  requestedModel: string
}

const OWNER_ALIASES: Record<string, ProviderId> = { openai: 'openai', anthropic: 'anthropic', google: 'google', gemini: 'google' }

function notFound(name: string) {
  return new GatewayError(404, `The model '${name}' does not exist or you do not have access to it.`, 'not_found_error', 'model_not_found', 'model')
}

function notPriced(name: string, entry: ModelEntry) {
  const [connection, ...model] = entry.id.split('/')
  return new GatewayError(
    400,
    `The model '${name}' has no price, so this gateway does not serve it (nothing is billed $0 by accident). An administrator can price it with PUT /api/admin/models/${connection}/${model.join('/') || connection} and {"pricing":{"input":…,"output":…}} (USD per 1M tokens), {"priceAs":{"model":"…","multiplier":1}} or {"free":true}, or serve unpriced models with UNPRICED_MODELS=allow.`,
    'invalid_request_error',
    'model_not_priced',
    'model',
  )
}

/** The entry that prices `id` and the id to send upstream: the entry's own, or the snapshot asked for. */
function find(id: string): { entry: ModelEntry, upstreamId: string } | undefined {
  const entry = findModel(id)
  if (entry) return { entry, upstreamId: entry.id }
  const family = snapshotEntry(id, findModel)
  return family && { entry: family, upstreamId: id }
}

/** The id a connection's server knows: its registry id without the `connection/` prefix. */
const connectionModelId = (entry: ModelEntry) => (entry.id.startsWith(`${entry.provider}/`) ? entry.id.slice(entry.provider.length + 1) : entry.id)

function lookup(name: string): { entry: ModelEntry, provider: string, upstreamId: string } | undefined {
  const slash = name.indexOf('/')
  if (slash > 0) {
    const prefix = name.slice(0, slash).toLowerCase()
    const forced = OWNER_ALIASES[prefix]
    if (forced) {
      const found = find(name.slice(slash + 1))
      return found && found.entry.provider === forced ? { ...found, provider: forced } : undefined
    }
    const connection = providerAccess(prefix)
    if (connection) {
      const own = findModel(name)
      if (own) return { entry: own, provider: own.provider, upstreamId: connectionModelId(own) }
      // Another connection of an official type (a second OpenAI account) serves that provider's models at its prices.
      if (!isOfficial(connection.type)) return undefined
      const found = find(name.slice(slash + 1))
      return found && found.entry.provider === connection.type ? { ...found, provider: prefix } : undefined
    }
  }
  const found = find(name)
  if (!found) return undefined
  const { entry } = found
  return isOfficial(entry.provider) ? { ...found, provider: entry.provider } : { entry, provider: entry.provider, upstreamId: connectionModelId(entry) }
}
/**
 * The targets that may answer `name`, in the order to try them: one for a registry model, the route's
 * targets for a route (virtual model). The key's allow-list is checked against the name it used.
 */
export function resolveTargets(name: string, key: GatewayKey, mode: ModelEntry['mode']): ResolvedModel[] {
  const route = findRoute(name)
  if (!route) return [resolveModel(name, key, mode)]
  checkModelAllowed(key, name)
  const resolved: ResolvedModel[] = []
  let firstError: unknown
  for (const model of targetOrder(route)) {
    try {
      resolved.push({ ...resolveModel(model, null, mode), requestedModel: name })
    }
    catch (error) {
      firstError ??= error
    }
  }
  if (!resolved.length) throw firstError
  return resolved
}

export function resolveModel(name: string, key: GatewayKey | null, mode: ModelEntry['mode']): ResolvedModel {
  const found = lookup(name)
  if (!found) throw notFound(name)
  const { entry, provider, upstreamId } = found
  if (key) checkModelAllowed(key, name, entry.id)
  if (entry.mode !== mode) {
    throw new GatewayError(400, `The model '${name}' is a${mode === 'chat' ? 'n embedding' : ' chat'} model and cannot be used on this endpoint.`, 'invalid_request_error', 'model_not_supported', 'model')
  }
  const access = providerAccess(provider)
  const adapter = access && adapterFor(access.type)
  if (!access || !adapter) {
    // A connection that was deleted leaves its models unknown; an official provider without a credential is the operator's to fix.
    if (!isOfficial(provider)) throw notFound(name)
    throw new GatewayError(503, `The provider for '${name}' is not configured on this gateway.`, 'service_unavailable', 'provider_not_configured', 'model')
  }
  const pricing = effectivePricing(entry, findModel)
  if (!pricing && config().unpricedModels !== 'allow') throw notPriced(name, entry)
  // The target carries the prices it is billed at (another model's for `priceAs`); none when unpriced.
  const priced = pricing === entry.pricing ? entry : { ...entry, pricing }
  return {
    adapter,
    target: { provider, model: upstreamId, entry: priced, baseUrl: access.baseUrl, apiKey: access.apiKey, headers: access.headers },
    requestedModel: name,
  }
}

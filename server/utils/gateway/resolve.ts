// Model resolution: a registry id or alias picks its provider; `provider/model` forces one; a
// snapshot id the registry does not list is priced as its family (registry/snapshots.ts) and sent
// upstream as the client named it.
import { adapters } from '../providers'
import type { ProviderAdapter, UpstreamTarget } from '../providers/types'
import { findModel } from '../registry/store'
import { snapshotEntry } from '../registry/snapshots'
import type { ModelEntry, ProviderId } from '../registry/schema'
import type { GatewayKey } from '../store/keys'
import { providerAccess } from './credentials'
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

/** The entry that prices `id` and the id to send upstream: the entry's own, or the snapshot asked for. */
function find(id: string): { entry: ModelEntry, upstreamId: string } | undefined {
  const entry = findModel(id)
  if (entry) return { entry, upstreamId: entry.id }
  const family = snapshotEntry(id, findModel)
  return family && { entry: family, upstreamId: id }
}

function lookup(name: string): { entry: ModelEntry, provider: ProviderId, upstreamId: string } | undefined {
  const slash = name.indexOf('/')
  if (slash > 0) {
    const forced = OWNER_ALIASES[name.slice(0, slash).toLowerCase()]
    if (forced) {
      const found = find(name.slice(slash + 1))
      return found && found.entry.provider === forced ? { ...found, provider: forced } : undefined
    }
  }
  const found = find(name)
  return found && { ...found, provider: found.entry.provider }
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
  const adapter = adapters[provider]
  const access = providerAccess(provider)
  if (!adapter || !access) {
    throw new GatewayError(503, `The provider for '${name}' is not configured on this gateway.`, 'service_unavailable', 'provider_not_configured', 'model')
  }
  return { adapter, target: { provider, model: upstreamId, entry, baseUrl: access.baseUrl, apiKey: access.apiKey }, requestedModel: name }
}

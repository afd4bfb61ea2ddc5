// The provider connections in force: each a name, a type (which adapter speaks to it), where it is
// reached and with which credential. The official providers are connections named after their type;
// for them the environment's credential applies when none is stored. Stored connections win over the
// environment. Held in memory; reloaded whenever the admin API changes one, here and on every instance.
import { config } from '../core/config'
import { secretHint } from '../core/crypto'
import { adapterFor } from '../providers'
import type { ProviderConnection } from '../providers/types'
import { PROVIDERS, type ProviderId } from '../registry/schema'
import { broadcast } from '../shared/broadcast'
import { loadConnections } from '../store/connections'
import { forgetUnsupportedFields } from './unsupported-fields'

export interface ProviderAccess extends ProviderConnection {
  /** The connection's name. */
  provider: string
  type: string
  preset: string | null
  headers: Record<string, string>
  sealedHeaders: string[]
  source: 'env' | 'db'
  keyHint: string | null
}

let access = new Map<string, ProviderAccess>()

export const isOfficial = (name: string): name is ProviderId => (PROVIDERS as readonly string[]).includes(name)

/** The base URL a connection without one of its own uses: the environment's for an official provider, else its type's default. */
function defaultBaseUrl(name: string, type: string): string {
  return (isOfficial(name) ? config().providerEnv[name].baseUrl : undefined) ?? adapterFor(type)?.api.defaultBaseUrl ?? ''
}

export async function reloadConnections(): Promise<void> {
  const next = new Map<string, ProviderAccess>()
  for (const c of await loadConnections()) {
    next.set(c.name, {
      provider: c.name,
      type: c.type,
      preset: c.preset,
      baseUrl: c.baseUrl ?? defaultBaseUrl(c.name, c.type),
      apiKey: c.apiKey ?? '',
      headers: c.headers,
      sealedHeaders: c.sealedHeaders,
      source: 'db',
      keyHint: c.keyHint,
    })
  }
  for (const provider of PROVIDERS) {
    const env = config().providerEnv[provider]
    if (next.has(provider) || !env.apiKey) continue
    next.set(provider, { provider, type: provider, preset: null, baseUrl: defaultBaseUrl(provider, provider), apiKey: env.apiKey, headers: {}, sealedHeaders: [], source: 'env', keyHint: secretHint(env.apiKey) })
  }
  access = next
  forgetUnsupportedFields()
}

/** After an admin change: reload here and tell the other instances. */
export async function connectionsChanged(): Promise<void> {
  await reloadConnections()
  broadcast('credentials')
}

export function providerAccess(name: string): ProviderAccess | undefined {
  return access.get(name)
}

/** One connection as the admin API may show it: never a key or a sealed header's value. */
function statusOf(name: string, a: ProviderAccess | undefined) {
  return {
    provider: name,
    type: a?.type ?? name,
    preset: a?.preset ?? null,
    configured: Boolean(a),
    source: a?.source ?? null,
    keyHint: a?.keyHint ?? null,
    baseUrl: a?.baseUrl ?? defaultBaseUrl(name, name),
    headers: Object.fromEntries(Object.entries(a?.headers ?? {}).map(([k, v]) => [k, a!.sealedHeaders.includes(k) ? `…${secretHint(v)}` : v])),
  }
}

/** The official providers (configured or not), then every other connection, by name. */
export function providerStatus() {
  const others = [...access.keys()].filter(n => !isOfficial(n)).sort()
  return [...PROVIDERS, ...others].map(name => statusOf(name, access.get(name)))
}

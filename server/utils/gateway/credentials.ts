// Which provider credential and base URL each upstream call uses. A credential stored through the
// admin API wins over the environment. Held in memory; reloaded whenever the admin API changes one.
import { config } from '../core/config'
import { secretHint } from '../core/crypto'
import { adapters } from '../providers'
import { PROVIDERS, type ProviderId } from '../registry/schema'
import { broadcast } from '../shared/broadcast'
import { loadCredentials } from '../store/credentials'

export interface ProviderAccess {
  provider: ProviderId
  apiKey: string
  baseUrl: string
  source: 'env' | 'db'
  keyHint: string
}

let access = new Map<ProviderId, ProviderAccess>()

export async function reloadCredentials(): Promise<void> {
  const stored = new Map((await loadCredentials()).map(c => [c.provider, c]))
  const next = new Map<ProviderId, ProviderAccess>()
  for (const provider of PROVIDERS) {
    const env = config().providerEnv[provider]
    const db = stored.get(provider)
    const defaultBaseUrl = adapters[provider]?.api.defaultBaseUrl ?? ''
    if (db) next.set(provider, { provider, apiKey: db.apiKey, baseUrl: db.baseUrl ?? env.baseUrl ?? defaultBaseUrl, source: 'db', keyHint: db.keyHint })
    else if (env.apiKey) next.set(provider, { provider, apiKey: env.apiKey, baseUrl: env.baseUrl ?? defaultBaseUrl, source: 'env', keyHint: secretHint(env.apiKey) })
  }
  access = next
}

/** After an admin change: reload here and tell the other instances. */
export async function credentialsChanged(): Promise<void> {
  await reloadCredentials()
  broadcast('credentials')
}

export function providerAccess(provider: ProviderId): ProviderAccess | undefined {
  return access.get(provider)
}

/** What the admin API may show: never the key itself. */
export function providerStatus() {
  return PROVIDERS.map((provider) => {
    const a = access.get(provider)
    return {
      provider,
      configured: Boolean(a),
      source: a?.source ?? null,
      keyHint: a?.keyHint ?? null,
      baseUrl: a?.baseUrl ?? config().providerEnv[provider].baseUrl ?? adapters[provider]?.api.defaultBaseUrl ?? null,
    }
  })
}

// "Test connection": one cheap authenticated GET (the provider's model list) with the credential the
// gateway would use. The result tells whether the provider accepted it; nothing of the key or of the
// provider's answer is passed on.
import { ANTHROPIC_VERSION } from '../providers/anthropic/request'
import type { ProviderAccess } from '../gateway/credentials'
import type { ProviderId } from '../registry/schema'

const TIMEOUT_MS = 10_000
const trim = (url: string) => url.replace(/\/+$/, '')

const probes: Record<ProviderId, (a: ProviderAccess) => { url: string, headers: Record<string, string> }> = {
  openai: a => ({ url: `${trim(a.baseUrl)}/models`, headers: { authorization: `Bearer ${a.apiKey}` } }),
  anthropic: a => ({ url: `${trim(a.baseUrl).replace(/\/v1$/, '')}/v1/models?limit=1`, headers: { 'x-api-key': a.apiKey, 'anthropic-version': ANTHROPIC_VERSION } }),
  google: a => ({ url: `${trim(a.baseUrl)}/v1beta/models?pageSize=1`, headers: { 'x-goog-api-key': a.apiKey } }),
}

function statusMessage(status: number): string {
  if (status >= 200 && status < 300) return 'Connected: the provider accepted the credential.'
  if (status === 401 || status === 403) return `The provider rejected the credential (HTTP ${status}).`
  if (status === 404) return 'The provider answered 404: check the base URL.'
  if (status === 429) return 'The provider is rate limiting this credential (HTTP 429).'
  return `The provider answered HTTP ${status}.`
}

export interface ConnectionTest {
  provider: ProviderId
  ok: boolean
  /** The provider's HTTP status; null when it could not be reached. */
  status: number | null
  latencyMs: number
  message: string
}

export async function testConnection(access: ProviderAccess): Promise<ConnectionTest> {
  const { url, headers } = probes[access.provider](access)
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) })
    await res.body?.cancel()
    return { provider: access.provider, ok: res.ok, status: res.status, latencyMs: elapsed(), message: statusMessage(res.status) }
  }
  catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    const message = timedOut ? `No answer within ${TIMEOUT_MS / 1000} s.` : `Could not connect to ${new URL(url).host}.`
    return { provider: access.provider, ok: false, status: null, latencyMs: elapsed(), message }
  }
}

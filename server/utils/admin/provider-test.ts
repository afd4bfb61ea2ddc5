// "Test connection": one cheap authenticated GET (the provider's model list) with the credential the
// gateway would use. The result tells whether the provider accepted it; nothing of the key or of the
// provider's answer is passed on.
import type { ProviderAccess } from '../gateway/connections'
import { adapterFor } from '../providers'

const TIMEOUT_MS = 10_000

function statusMessage(status: number): string {
  if (status >= 200 && status < 300) return 'Connected: the provider accepted the credential.'
  if (status === 401 || status === 403) return `The provider rejected the credential (HTTP ${status}).`
  if (status === 404) return 'The provider answered 404: check the base URL.'
  if (status === 429) return 'The provider is rate limiting this credential (HTTP 429).'
  return `The provider answered HTTP ${status}.`
}

export interface ConnectionTest {
  provider: string
  ok: boolean
  /** The provider's HTTP status; null when it could not be reached. */
  status: number | null
  latencyMs: number
  message: string
}

export async function testConnection(access: ProviderAccess): Promise<ConnectionTest> {
  const { url, headers } = adapterFor(access.type)!.api.models(access, 1)
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

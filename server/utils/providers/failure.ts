// How an upstream's HTTP status maps to what the gateway's client is told. Upstream auth failures are
// the gateway operator's problem (a bad provider credential), not the client's: they become 502s.
import type { ProviderFailure } from './types'

export function failureForStatus(providerName: string, status: number, upstreamMessage: string | undefined, code: string | null = null): ProviderFailure {
  const detail = upstreamMessage ? `: ${redact(upstreamMessage)}` : ''
  if (status >= 300 && status < 400) {
    return { status: 502, type: 'upstream_error', code: 'upstream_redirect', message: `${providerName} answered with a redirect (HTTP ${status}), which the gateway does not follow; check the provider's base URL.` }
  }
  if (status === 401 || status === 403) {
    return { status: 502, type: 'upstream_error', code: 'upstream_auth_failed', message: `${providerName} rejected the gateway's provider credential.` }
  }
  if (status === 429) return { status: 429, type: 'rate_limit_error', code: code ?? 'upstream_rate_limited', message: `${providerName} rate limit reached${detail}` }
  if (status === 404) return { status: 404, type: 'not_found_error', code: code ?? 'model_not_found', message: `${providerName} could not find the resource${detail}` }
  if (status === 413) return { status: 413, type: 'invalid_request_error', code: code ?? 'request_too_large', message: `${providerName} says the request is too large${detail}` }
  if (status >= 400 && status < 500) return { status: 400, type: 'invalid_request_error', code, message: `${providerName} rejected the request${detail}` }
  if (status === 503 || status === 529) return { status: 503, type: 'service_unavailable', code: 'upstream_overloaded', message: `${providerName} is overloaded or unavailable${detail}` }
  return { status: 502, type: 'upstream_error', code: 'upstream_error', message: `${providerName} returned an error (HTTP ${status})${detail}` }
}

/** Upstream messages sometimes echo part of the credential ("Incorrect API key provided: sk-ab…"). */
export function redact(message: string): string {
  return message.replace(/\b(sk|sk-ant|sk-proj|AIza)[-_A-Za-z0-9*.]{6,}/g, '[redacted]').slice(0, 1000)
}

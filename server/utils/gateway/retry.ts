// One target's upstream call with retries: 429, 500, 502, 503, 504, 529, refused or reset
// connections and timeouts before the first byte are retried up to UPSTREAM_MAX_RETRIES times with
// exponential backoff and jitter (each wait drawn from the upper half of its doubling step, never
// near zero), honouring Retry-After; every wait is capped at RETRY_AFTER_MAX_MS. Nothing is retried
// once a response is accepted (so never after the client saw a byte), nor 4xx answers.
import { config } from '../core/config'
import type { ProviderAdapter, UpstreamRequest } from '../providers/types'
import type { GatewayError } from '../core/errors'
import { type ClientClose, clientClosedError } from './client-close'
import type { RequestContext } from './context'
import { failAttemptSpan, startAttemptSpan } from './trace'
import { callUpstream, failureError, type UpstreamResponse, upstreamTransportError } from './upstream'

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504, 529])
const BASE_DELAY_MS = 200

/** Retry-After as seconds or an HTTP date, in ms. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** The wait before retry number `attempt + 1`: the provider's Retry-After when it sent one, else the backoff. */
export function backoffMs(attempt: number, retryAfter?: number, random = Math.random): number {
  const cap = config().retryAfterMaxMs
  if (retryAfter !== undefined) return Math.min(retryAfter, cap)
  return Math.min(cap, BASE_DELAY_MS * 2 ** attempt * (0.5 + random() / 2))
}

/** Waits before a retry; a client that goes away meanwhile ends the wait with a 499. */
function sleep(ms: number, client: ClientClose): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { unlisten(); resolve() }, ms)
    const unlisten = client.listen(() => {
      clearTimeout(timer)
      reject(clientClosedError())
    })
  })
}

const retryableTransport = (e: GatewayError) => e.code === 'upstream_timeout' || e.code === 'upstream_unreachable'

/** Who is calling, for the attempt's trace span: the request, and the connection and model called. */
export interface Caller { ctx: RequestContext, connection: string, model: string }

export async function callWithRetries(adapter: ProviderAdapter, req: UpstreamRequest, client: ClientClose, caller: Caller): Promise<UpstreamResponse> {
  const maxRetries = config().maxRetries
  for (let attempt = 0; ; attempt++) {
    const span = startAttemptSpan(caller.ctx, caller.connection, caller.model, req)
    let res: UpstreamResponse
    try {
      res = await callUpstream(req, client)
    }
    catch (error) {
      const err = upstreamTransportError(error)
      failAttemptSpan(span, err.status, err.code)
      if (attempt >= maxRetries || !retryableTransport(err)) throw err
      await sleep(backoffMs(attempt), client)
      continue
    }
    // A redirect is not followed (the request carries the provider credential): it fails as the provider's error.
    if (res.statusCode < 300) {
      caller.ctx.attemptSpan = span
      return res
    }
    const text = await res.text().catch(() => '')
    const failure = adapter.error(res.statusCode, text)
    failAttemptSpan(span, res.statusCode, failure.code)
    if (attempt >= maxRetries || !RETRY_STATUSES.has(res.statusCode)) throw failureError(failure)
    await sleep(backoffMs(attempt, retryAfterMs(res.headers['retry-after'])), client)
  }
}

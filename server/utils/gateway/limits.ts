// Per-key limits: the model allow-list and requests and tokens per minute (the spend budget is
// ./budget.ts). Counters live in memory, or in Redis when instances share REDIS_URL.
import { consola } from 'consola'
import { minuteCounter } from '../shared/fixed-window'
import type { GatewayKey } from '../store/keys'
import { GatewayError } from '../core/errors'
import { errorMessage } from '../core/error-message'

const requestsPerKey = minuteCounter('key-requests')
const tokensPerKey = minuteCounter('key-tokens')

export function checkModelAllowed(key: GatewayKey, ...names: string[]): void {
  if (!key.models) return
  if (names.some(n => key.models!.includes(n))) return
  throw new GatewayError(403, `This API key is not allowed to use the model '${names[0]}'.`, 'permission_error', 'model_not_allowed', 'model')
}

const rateLimited = (message: string, retryAfter: number) =>
  new GatewayError(429, message, 'rate_limit_error', 'rate_limit_exceeded', null, { 'retry-after': String(retryAfter) })

/** Requests and tokens per minute, checked before any work is done for the request. */
export async function checkRates(key: GatewayKey, now = Date.now()): Promise<void> {
  if (key.tpm !== null) {
    const wait = await tokensPerKey.exceeded(key.id, key.tpm, now)
    if (wait !== undefined) throw rateLimited(`Rate limit reached: this API key allows ${key.tpm} tokens per minute.`, wait)
  }
  if (key.rpm !== null) {
    const wait = await requestsPerKey.hit(key.id, key.rpm, now)
    if (wait !== undefined) throw rateLimited(`Rate limit reached: this API key allows ${key.rpm} requests per minute.`, wait)
  }
}

const warn = (what: string) => (error: unknown) => consola.warn(`[limits] ${what}:`, errorMessage(error))

export function countTokens(key: GatewayKey, tokens: number): void {
  if (key.tpm !== null && tokens > 0) tokensPerKey.add(key.id, tokens).catch(warn('could not count tokens'))
}

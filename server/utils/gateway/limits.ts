// Per-key limits: the model allow-list, requests and tokens per minute, and the spend budget. The
// budget is a hard limit even under concurrency: each request reserves an estimate of its cost before
// it goes upstream and settles to its real cost when it ends, and no request starts once spend plus
// reservations reach the budget, so concurrent requests overspend by at most about one request.
import { MinuteCounter } from '../ops/fixed-window'
import { costUsd } from '../registry/cost'
import type { ModelEntry } from '../registry/schema'
import type { GatewayKey } from '../store/keys'
import { GatewayError } from './errors'

const requestsPerKey = new MinuteCounter()
const tokensPerKey = new MinuteCounter()
const reserved = new Map<string, number>()

/** Completion tokens reserved when a request does not cap them (max_tokens). */
export const DEFAULT_COMPLETION_RESERVE = 4096

export function checkModelAllowed(key: GatewayKey, ...names: string[]): void {
  if (!key.models) return
  if (names.some(n => key.models!.includes(n))) return
  throw new GatewayError(403, `This API key is not allowed to use the model '${names[0]}'.`, 'permission_error', 'model_not_allowed', 'model')
}

const rateLimited = (message: string, retryAfter: number) =>
  new GatewayError(429, message, 'rate_limit_error', 'rate_limit_exceeded', null, { 'retry-after': String(retryAfter) })

/** Requests and tokens per minute, checked before any work is done for the request. */
export function checkRates(key: GatewayKey, now = Date.now()): void {
  if (key.tpm !== null) {
    const wait = tokensPerKey.exceeded(key.id, key.tpm, now)
    if (wait !== undefined) throw rateLimited(`Rate limit reached: this API key allows ${key.tpm} tokens per minute.`, wait)
  }
  if (key.rpm !== null) {
    const wait = requestsPerKey.hit(key.id, key.rpm, now)
    if (wait !== undefined) throw rateLimited(`Rate limit reached: this API key allows ${key.rpm} requests per minute.`, wait)
  }
}

export function countTokens(key: GatewayKey, tokens: number): void {
  if (key.tpm !== null && tokens > 0) tokensPerKey.add(key.id, tokens)
}

/** A cost estimate to reserve: the prompt from its size, the completion at its cap. */
export function estimateCostUsd(entry: ModelEntry, promptChars: number, maxCompletionTokens: number | null | undefined): number {
  const completion = maxCompletionTokens ?? Math.min(entry.maxOutputTokens ?? DEFAULT_COMPLETION_RESERVE, DEFAULT_COMPLETION_RESERVE)
  return costUsd(entry.pricing, { promptTokens: Math.ceil(promptChars / 3), cachedTokens: 0, cacheWriteTokens: 0, completionTokens: entry.mode === 'chat' ? completion : 0, reasoningTokens: 0 })
}

/** Reserves `usd` of the key's budget; returns the release to call when the request ends. */
export function reserveBudget(key: GatewayKey, usd: number): () => void {
  if (key.budgetUsd === null) return () => {}
  const held = reserved.get(key.id) ?? 0
  if (key.spentUsd + held >= key.budgetUsd) {
    throw new GatewayError(429, `This API key has used its budget of $${key.budgetUsd}.`, 'rate_limit_error', 'budget_exceeded')
  }
  reserved.set(key.id, held + usd)
  let released = false
  return () => {
    if (released) return
    released = true
    const left = (reserved.get(key.id) ?? 0) - usd
    if (left > 1e-12) reserved.set(key.id, left)
    else reserved.delete(key.id)
  }
}

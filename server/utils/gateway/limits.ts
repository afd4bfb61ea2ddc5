// Per-key limits: the model allow-list, requests and tokens per minute, and the spend budget. The
// budget is a hard limit even under concurrency: each request reserves an estimate of its cost before
// it goes upstream and settles to its real cost when it ends, and no request starts once spend plus
// reservations reach the budget, so concurrent requests overspend by at most about one request.
// Counters and the budget ledger live in memory, or in Redis when instances share REDIS_URL.
import { consola } from 'consola'
import { minuteCounter } from '../ops/fixed-window'
import { costUsd } from '../registry/cost'
import type { ModelEntry } from '../registry/schema'
import { redis, redisKey } from '../shared/redis'
import type { GatewayKey } from '../store/keys'
import { GatewayError } from './errors'

const requestsPerKey = minuteCounter('key-requests')
const tokensPerKey = minuteCounter('key-tokens')
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

const warn = (what: string) => (error: unknown) => consola.warn(`[limits] ${what}:`, error instanceof Error ? error.message : error)

export function countTokens(key: GatewayKey, tokens: number): void {
  if (key.tpm !== null && tokens > 0) tokensPerKey.add(key.id, tokens).catch(warn('could not count tokens'))
}

/** A cost estimate to reserve: the prompt from its size, the completion at its cap. */
export function estimateCostUsd(entry: ModelEntry, promptChars: number, maxCompletionTokens: number | null | undefined): number {
  const completion = maxCompletionTokens ?? Math.min(entry.maxOutputTokens ?? DEFAULT_COMPLETION_RESERVE, DEFAULT_COMPLETION_RESERVE)
  return costUsd(entry.pricing, { promptTokens: Math.ceil(promptChars / 3), cachedTokens: 0, cacheWriteTokens: 0, completionTokens: entry.mode === 'chat' ? completion : 0, reasoningTokens: 0 })
}

const budgetExceeded = (key: GatewayKey) => new GatewayError(429, `This API key has used its budget of $${key.budgetUsd}.`, 'rate_limit_error', 'budget_exceeded')

// KEYS: spent, reserved. ARGV: spent in the database (seeds a missing counter), budget, amount.
// Returns 1 when the amount was reserved, 0 when spend plus reservations already reach the budget.
const RESERVE = `if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
local spent = tonumber(redis.call('GET', KEYS[1]))
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
if spent + held >= tonumber(ARGV[2]) then return 0 end
redis.call('INCRBYFLOAT', KEYS[2], ARGV[3])
return 1`

/** Reserves `usd` of the key's budget; resolves to the release to call when the request ends. */
export async function reserveBudget(key: GatewayKey, usd: number): Promise<() => void> {
  if (key.budgetUsd === null) return () => {}
  const shared = redis()
  if (shared) {
    const ok = await shared.eval(RESERVE, 2, redisKey(`budget:spent:${key.id}`), redisKey(`budget:reserved:${key.id}`), key.spentUsd, key.budgetUsd, usd)
    if (!ok) throw budgetExceeded(key)
    return once(() => void shared.incrbyfloat(redisKey(`budget:reserved:${key.id}`), -usd).catch(warn('could not release a reservation')))
  }
  const held = reserved.get(key.id) ?? 0
  if (key.spentUsd + held >= key.budgetUsd) throw budgetExceeded(key)
  reserved.set(key.id, held + usd)
  return once(() => {
    const left = (reserved.get(key.id) ?? 0) - usd
    if (left > 1e-12) reserved.set(key.id, left)
    else reserved.delete(key.id)
  })
}

/** Adds a finished request's cost to the key's spend as the budget sees it (the database follows at flush). */
export function settleSpend(key: GatewayKey, usd: number): void {
  if (usd <= 0) return
  key.spentUsd += usd
  const shared = redis()
  if (shared && key.budgetUsd !== null) shared.incrbyfloat(redisKey(`budget:spent:${key.id}`), usd).catch(warn('could not record spend'))
}

function once(fn: () => void): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    fn()
  }
}

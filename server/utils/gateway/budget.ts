// Each key's spend budget as a hard limit, under concurrency and across instances. A request reserves
// the most it can cost (./budget-estimate.ts) before it goes upstream and is admitted only when spend,
// what requests in progress hold and its own amount all fit in the budget; when it ends, its real cost
// is charged and its reservation freed in one step. The ledger is kept per key id (never on a key
// object, which the auth cache replaces after an edit): in memory, seeded once from the database, or
// in Redis when instances share REDIS_URL. Every amount is an integer of nano-dollars (core/money.ts),
// so spend and reservations add up exactly (INCRBY in Redis).
import { consola } from 'consola'
import { redis, redisKey } from '../shared/redis'
import type { GatewayKey } from '../store/keys'
import { GatewayError } from '../core/errors'
import { errorMessage } from '../core/error-message'
import { nanoToUsd } from '../core/money'

/** Spend as this instance's budgets see it: the database's when first seen, then every charge since. */
const spentById = new Map<string, number>()
/** Reservations of requests in progress. */
const heldById = new Map<string, number>()

/** Whether a request of `amount` fits: spend, reservations held and the amount itself within the budget. */
export function fitsBudget(spent: number, held: number, amount: number, budget: number): boolean {
  return spent + Math.max(0, held) + amount <= budget
}

const usd = (nano: number) => `$${Number(nanoToUsd(nano).toPrecision(6))}`

/** The refusal, saying whether the budget is spent, this request alone is too large, or the rest is held. */
export function budgetRefusal(budget: number, spent: number, held: number, amount: number): GatewayError {
  const left = budget - spent
  const message = left <= 0
    ? `This API key has used its budget of ${usd(budget)}.`
    : amount > left
      ? `This request could cost up to ${usd(amount)}, more than the ${usd(left)} left of this API key's budget of ${usd(budget)}. Set a lower max_tokens (or n).`
      : `The rest of this API key's budget of ${usd(budget)} is reserved by its requests in progress; retry when they end.`
  return new GatewayError(429, message, 'rate_limit_error', 'budget_exceeded')
}

function spentOf(key: GatewayKey): number {
  const known = spentById.get(key.id)
  if (known !== undefined) return known
  spentById.set(key.id, key.spentNanoUsd)
  return key.spentNanoUsd
}

// KEYS: spent, held. ARGV: spend in the database (seeds a missing counter), budget, amount.
// Returns {1} when the amount was reserved, else {0, spent, held}.
const RESERVE = `if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
local spent = tonumber(redis.call('GET', KEYS[1]))
local held = math.max(0, tonumber(redis.call('GET', KEYS[2]) or '0'))
if spent + held + tonumber(ARGV[3]) > tonumber(ARGV[2]) then return {0, spent, held} end
redis.call('INCRBY', KEYS[2], ARGV[3])
return {1}`

// KEYS: spent, held. ARGV: spend in the database (seeds a missing counter), cost to charge, held amount to free (negative).
const SETTLE = `if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
if tonumber(ARGV[2]) > 0 then redis.call('INCRBY', KEYS[1], ARGV[2]) end
if tonumber(ARGV[3]) < 0 then redis.call('INCRBY', KEYS[2], ARGV[3]) end
return 1`

// Named apart from the dollar counters of earlier versions (INCRBYFLOAT), which INCRBY would refuse.
const ledgerKeys = (key: GatewayKey) => [redisKey(`budget:nano:spent:${key.id}`), redisKey(`budget:nano:reserved:${key.id}`)] as const

/** Reserves `amount` nano-dollars of the key's budget or refuses the request (429); resolves to the amount held (0 without a budget). */
export async function reserveBudget(key: GatewayKey, amount: number): Promise<number> {
  const budget = key.budgetNanoUsd
  if (budget === null) return 0
  const shared = redis()
  if (shared) {
    const [ok, spent, held] = await shared.eval(RESERVE, 2, ...ledgerKeys(key), key.spentNanoUsd, budget, amount) as [number, number?, number?]
    if (!ok) throw budgetRefusal(budget, Number(spent), Number(held), amount)
    return amount
  }
  const spent = spentOf(key)
  const held = heldById.get(key.id) ?? 0
  if (!fitsBudget(spent, held, amount, budget)) throw budgetRefusal(budget, spent, held, amount)
  heldById.set(key.id, held + amount)
  return amount
}

const warn = (error: unknown) => consola.warn('[budget] could not settle a request:', errorMessage(error))

/** Ends a request's reservation: its real cost is charged to the key and what it held is freed, at once. */
export function settleBudget(key: GatewayKey, held: number, cost: number): void {
  const shared = redis()
  if (shared) {
    // Keys without a budget are not followed in Redis (a budget set later seeds from the database).
    if (held > 0 || (cost > 0 && key.budgetNanoUsd !== null)) shared.eval(SETTLE, 2, ...ledgerKeys(key), key.spentNanoUsd, cost, -held).catch(warn)
    return
  }
  if (cost > 0) spentById.set(key.id, spentOf(key) + cost)
  if (held <= 0) return
  const left = (heldById.get(key.id) ?? 0) - held
  if (left > 0) heldById.set(key.id, left)
  else heldById.delete(key.id)
}

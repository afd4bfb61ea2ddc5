// Per-key limits checked before a request goes upstream: the model allow-list, the spend budget and
// requests per minute (a fixed one-minute window per key, kept in memory).
import { MinuteCounter } from '../ops/fixed-window'
import type { GatewayKey } from '../store/keys'
import { GatewayError } from './errors'

const perKey = new MinuteCounter()

export function checkModelAllowed(key: GatewayKey, ...names: string[]): void {
  if (!key.models) return
  if (names.some(n => key.models!.includes(n))) return
  throw new GatewayError(403, `This API key is not allowed to use the model '${names[0]}'.`, 'permission_error', 'model_not_allowed', 'model')
}

export function checkBudget(key: GatewayKey): void {
  if (key.budgetUsd !== null && key.spentUsd >= key.budgetUsd) {
    throw new GatewayError(429, `This API key has used its budget of $${key.budgetUsd}.`, 'rate_limit_error', 'budget_exceeded')
  }
}

export function checkRpm(key: GatewayKey, now = Date.now()): void {
  if (key.rpm === null) return
  const retryAfter = perKey.hit(key.id, key.rpm, now)
  if (retryAfter !== undefined) {
    throw new GatewayError(429, `Rate limit reached: this API key allows ${key.rpm} requests per minute.`, 'rate_limit_error', 'rate_limit_exceeded', null, { 'retry-after': String(retryAfter) })
  }
}

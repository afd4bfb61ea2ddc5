// A circuit breaker per provider and model: after CIRCUIT_FAILURE_THRESHOLD consecutive failures the
// target is skipped (while another target exists) for CIRCUIT_COOLDOWN_MS; then it is half-open: one
// request may try it, and its outcome closes the circuit or opens it again.
import { config } from '../core/config'

interface Circuit {
  failures: number
  openedAt: number | null
  /** A half-open trial is under way: others keep skipping the target until it ends. */
  trial: boolean
}

const circuits = new Map<string, Circuit>()

const keyOf = (provider: string, model: string) => `${provider}/${model}`

function circuit(provider: string, model: string): Circuit {
  const k = keyOf(provider, model)
  let c = circuits.get(k)
  if (!c) {
    c = { failures: 0, openedAt: null, trial: false }
    circuits.set(k, c)
  }
  return c
}

export type CircuitState = 'closed' | 'open' | 'half-open'

export function circuitState(provider: string, model: string, now = Date.now()): CircuitState {
  const c = circuits.get(keyOf(provider, model))
  if (!c || c.openedAt === null) return 'closed'
  return now - c.openedAt >= config().circuitCooldownMs ? 'half-open' : 'open'
}

/** Whether a request may try this target now; claims the half-open trial when it is free. */
export function circuitAllows(provider: string, model: string, now = Date.now()): boolean {
  const state = circuitState(provider, model, now)
  if (state === 'closed') return true
  if (state === 'open') return false
  const c = circuit(provider, model)
  if (c.trial) return false
  c.trial = true
  return true
}

export function recordSuccess(provider: string, model: string): void {
  circuits.delete(keyOf(provider, model))
}

export function recordFailure(provider: string, model: string, now = Date.now()): void {
  const c = circuit(provider, model)
  c.failures++
  if (c.trial || c.failures >= config().circuitFailureThreshold) {
    c.openedAt = now
    c.trial = false
  }
}

/** Circuits that are not closed, for /ready's detail and the metric. */
export function openCircuits(now = Date.now()): { provider: string, model: string, state: CircuitState, failures: number }[] {
  const out = []
  for (const [k, c] of circuits) {
    const [provider, model] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)]
    const state = circuitState(provider, model, now)
    if (state !== 'closed') out.push({ provider, model, state, failures: c.failures })
  }
  return out
}

// The circuit breaker per provider and model, on an injected clock: open after
// CIRCUIT_FAILURE_THRESHOLD consecutive failures, half-open after CIRCUIT_COOLDOWN_MS with one trial
// at a time, closed by a success, opened again by a failed trial.
import { describe, expect, it, vi } from 'vitest'
import { circuitAllows, circuitState, openCircuits, recordFailure, recordSuccess } from '../../server/utils/gateway/circuit'

// Read by config() on its first call, which comes after these lines.
vi.stubEnv('CIRCUIT_FAILURE_THRESHOLD', '3')
vi.stubEnv('CIRCUIT_COOLDOWN_MS', '1000')

const T0 = 1_000_000
let targets = 0
/** A provider/model of its own for each test: circuits are module state. */
const target = () => ['openai', `model-${++targets}`] as const

function fail(times: number, [provider, model]: readonly [string, string], now = T0) {
  for (let i = 0; i < times; i++) recordFailure(provider, model, now)
}

/** A target whose circuit opened at T0. */
function opened() {
  const t = target()
  fail(3, t)
  return t
}

describe('circuit breaker', () => {
  it('stays closed below the threshold, and a success forgets the failures', () => {
    const t = target()
    expect(circuitState(...t, T0)).toBe('closed')
    fail(2, t)
    expect(circuitState(...t, T0)).toBe('closed')
    expect(circuitAllows(...t, T0)).toBe(true)
    recordSuccess(...t)
    fail(2, t)
    expect(circuitState(...t, T0)).toBe('closed')
  })

  it('opens at the threshold and refuses the target until the cooldown is over', () => {
    const t = target()
    fail(3, t)
    expect(circuitState(...t, T0)).toBe('open')
    expect(circuitAllows(...t, T0)).toBe(false)
    expect(circuitAllows(...t, T0 + 999)).toBe(false)
    expect(circuitState(...t, T0 + 1000)).toBe('half-open')
  })

  it('lets one trial through when half-open; the others wait for its outcome', () => {
    const t = opened()
    const later = T0 + 1500
    expect(circuitAllows(...t, later)).toBe(true)
    expect(circuitAllows(...t, later)).toBe(false)
    expect(circuitAllows(...t, later + 10_000)).toBe(false)
  })

  it('closes when the trial succeeds', () => {
    const t = opened()
    expect(circuitAllows(...t, T0 + 1000)).toBe(true)
    recordSuccess(...t)
    expect(circuitState(...t, T0 + 1000)).toBe('closed')
    expect(circuitAllows(...t, T0 + 1000)).toBe(true)
    // Counting starts again from zero.
    fail(2, t, T0 + 1001)
    expect(circuitState(...t, T0 + 1001)).toBe('closed')
  })

  it('opens again for a full cooldown when the trial fails', () => {
    const t = opened()
    const trial = T0 + 1200
    expect(circuitAllows(...t, trial)).toBe(true)
    recordFailure(...t, trial)
    expect(circuitState(...t, trial)).toBe('open')
    expect(circuitAllows(...t, trial + 999)).toBe(false)
    expect(circuitAllows(...t, trial + 1000)).toBe(true)
  })

  it('keeps each provider and model apart and lists the circuits that are not closed', () => {
    const a = target()
    const b = ['anthropic', a[1]] as const
    fail(3, a)
    fail(1, b)
    expect(circuitState(...b, T0)).toBe('closed')
    const listed = (now: number) => openCircuits(now).filter(c => c.model === a[1])
    expect(listed(T0)).toEqual([{ provider: 'openai', model: a[1], state: 'open', failures: 3 }])
    expect(listed(T0 + 1000)).toEqual([{ provider: 'openai', model: a[1], state: 'half-open', failures: 3 }])
    recordSuccess(...a)
    expect(listed(T0)).toEqual([])
  })

  it('names a model that has a slash in it', () => {
    const model = `org/model-${++targets}`
    fail(3, ['google', model])
    expect(openCircuits(T0).find(c => c.model === model)).toEqual({ provider: 'google', model, state: 'open', failures: 3 })
  })
})

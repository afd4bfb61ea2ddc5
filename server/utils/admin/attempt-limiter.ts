// Throttling of guesses (sign-in passwords, set-up tokens): at most `max` attempts per id (an IP, an
// email) in a fixed window. An attempt takes its slot atomically BEFORE it is checked (a Lua script in
// Redis, one synchronous step in memory), so concurrent guesses cannot all pass a count taken before
// any of them failed; a success, or an attempt that could not be checked, gives its slot back.
import { GatewayError } from '../core/errors'
import { windowCounter } from '../shared/fixed-window'

/** The documented limit of sign-in and set-up guesses: 10 per IP (and per email) per 15 minutes. */
export const MAX_GUESSES = 10
export const GUESS_WINDOW_MS = 15 * 60_000

export interface Attempt {
  /** Runs the check; when it throws (server busy, database down) the slots are given back and it rethrows. */
  check<T>(fn: () => Promise<T>): Promise<T>
  /** Gives the slots back (a success). */
  refund(): Promise<void>
}

export interface AttemptLimiterOptions {
  /** Names the counters, in memory and in Redis. */
  scope: string
  max: number
  windowMs: number
  /** What is being attempted, for the 429's message ("sign-in"). */
  noun: string
  code: string
}

export function attemptLimiter(o: AttemptLimiterOptions) {
  const counter = windowCounter(o.scope, o.windowMs)

  function tooMany(seconds: number) {
    const minutes = Math.ceil(seconds / 60)
    return new GatewayError(429, `Too many ${o.noun} attempts. Try again in ${minutes} minute${minutes > 1 ? 's' : ''}.`,
      'rate_limit_error', o.code, null, { 'retry-after': String(seconds) })
  }

  return {
    /** Takes a slot for each id (all or none), or throws 429 with Retry-After when one is used up. */
    async reserve(ids: string[]): Promise<Attempt> {
      // The window the slots were taken in, so that a refund lands in it even after it has ended.
      const now = Date.now()
      const taken: string[] = []
      const refund = async () => {
        await Promise.all(taken.splice(0).map(id => counter.add(id, -1, now)))
      }
      for (const id of ids) {
        const wait = await counter.hit(id, o.max, now)
        if (wait !== undefined) {
          await refund()
          throw tooMany(wait)
        }
        taken.push(id)
      }
      return {
        async check(fn) {
          try {
            return await fn()
          }
          catch (error) {
            await refund()
            throw error
          }
        },
        refund,
      }
    },
    /** Forgets every attempt counted for `id` in the current window. */
    reset: (id: string) => counter.reset(id),
  }
}

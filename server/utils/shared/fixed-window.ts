// Fixed time windows per id: requests per IP and per key, tokens per key (one minute), failed sign-ins
// (fifteen). In memory for one instance; in Redis (atomic Lua scripts, never get-then-set) when
// REDIS_URL makes instances share them.
import type Redis from 'ioredis'
import { redis, redisKey } from './redis'

export interface WindowCounter {
  /** Counts one hit unless `id` is at `limit`; returns the seconds until the window resets when it is. */
  hit(id: string, limit: number, now?: number): Promise<number | undefined>
  /** Seconds until the window resets when `id` has used `limit` or more in this window, else undefined. */
  exceeded(id: string, limit: number, now?: number): Promise<number | undefined>
  /** Adds `amount` (tokens, say) to this window's count. */
  add(id: string, amount: number, now?: number): Promise<void>
  /** Forgets `id`'s count in this window. */
  reset(id: string, now?: number): Promise<void>
}

/** At most this many ids are tracked in memory; the oldest are dropped first (a flood cannot grow it). */
const MAX_IDS = 100_000

class MemoryWindowCounter implements WindowCounter {
  private windows = new Map<string, { window: number, count: number }>()
  private sweptWindow = 0

  constructor(private windowMs: number) {}

  private secondsLeft(now: number) {
    return Math.max(1, Math.ceil((Math.floor(now / this.windowMs + 1) * this.windowMs - now) / 1000))
  }

  async hit(id: string, limit: number, now = Date.now()) {
    const w = this.window(id, now)
    if (w.count >= limit) return this.secondsLeft(now)
    w.count++
    return undefined
  }

  async exceeded(id: string, limit: number, now = Date.now()) {
    return this.window(id, now).count >= limit ? this.secondsLeft(now) : undefined
  }

  async add(id: string, amount: number, now = Date.now()) {
    // A refund for a window that has ended has nothing left to correct.
    if (Math.floor(now / this.windowMs) < this.sweptWindow) return
    this.window(id, now).count += amount
  }

  async reset(id: string) {
    this.windows.delete(id)
  }

  private window(id: string, now: number) {
    const index = Math.floor(now / this.windowMs)
    if (index > this.sweptWindow) {
      // Old windows go once per window, so the map stays the size of the active set.
      for (const [k, w] of this.windows) if (w.window !== index) this.windows.delete(k)
      this.sweptWindow = index
    }
    let w = this.windows.get(id)
    if (!w || w.window !== index) {
      if (this.windows.size >= MAX_IDS) this.windows.delete(this.windows.keys().next().value!)
      w = { window: index, count: 0 }
      this.windows.set(id, w)
    }
    return w
  }
}

// KEYS[1] window key; ARGV[1] limit; ARGV[2] ttl ms. Returns the count after the hit, or -1 when at the limit.
const HIT = `local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c >= tonumber(ARGV[1]) then return -1 end
c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return c`
// KEYS[1] window key; ARGV[1] amount; ARGV[2] ttl ms.
const ADD = `local c = redis.call('INCRBY', KEYS[1], ARGV[1])
if c == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return c`

class RedisWindowCounter implements WindowCounter {
  constructor(private client: Redis, private scope: string, private windowMs: number) {}

  private key(id: string, now: number) {
    return redisKey(`rate:${this.scope}:${id}:${Math.floor(now / this.windowMs)}`)
  }

  private secondsLeft(now: number) {
    return Math.max(1, Math.ceil((Math.floor(now / this.windowMs + 1) * this.windowMs - now) / 1000))
  }

  async hit(id: string, limit: number, now = Date.now()) {
    const c = await this.client.eval(HIT, 1, this.key(id, now), limit, this.windowMs + 1000) as number
    return c < 0 ? this.secondsLeft(now) : undefined
  }

  async exceeded(id: string, limit: number, now = Date.now()) {
    const c = Number(await this.client.get(this.key(id, now)) ?? 0)
    return c >= limit ? this.secondsLeft(now) : undefined
  }

  async add(id: string, amount: number, now = Date.now()) {
    await this.client.eval(ADD, 1, this.key(id, now), Math.round(amount), this.windowMs + 1000)
  }

  async reset(id: string, now = Date.now()) {
    await this.client.del(this.key(id, now))
  }
}

/** A counter for one scope (e.g. "ip", "login"), shared through Redis when it is configured. */
export function windowCounter(scope: string, windowMs: number): WindowCounter {
  let impl: WindowCounter | undefined
  const get = () => (impl ??= redis() ? new RedisWindowCounter(redis()!, scope, windowMs) : new MemoryWindowCounter(windowMs))
  return {
    hit: (...a) => get().hit(...a),
    exceeded: (...a) => get().exceeded(...a),
    add: (...a) => get().add(...a),
    reset: (...a) => get().reset(...a),
  }
}

export const minuteCounter = (scope: string) => windowCounter(scope, 60_000)

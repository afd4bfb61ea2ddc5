// Fixed one-minute windows per id: requests per IP and per key, tokens per key. In memory for one
// instance; in Redis (atomic Lua scripts, never get-then-set) when REDIS_URL makes instances share them.
import type Redis from 'ioredis'
import { redis, redisKey } from '../shared/redis'

export interface MinuteCounter {
  /** Counts one hit unless `id` is at `limit`; returns the seconds until the window resets when it is. */
  hit(id: string, limit: number, now?: number): Promise<number | undefined>
  /** Seconds until the window resets when `id` has used `limit` or more this minute, else undefined. */
  exceeded(id: string, limit: number, now?: number): Promise<number | undefined>
  /** Adds `amount` (tokens, say) to this minute's count. */
  add(id: string, amount: number, now?: number): Promise<void>
}

const secondsToNextMinute = (now: number) => Math.max(1, Math.ceil((Math.floor(now / 60_000 + 1) * 60_000 - now) / 1000))

class MemoryMinuteCounter implements MinuteCounter {
  private windows = new Map<string, { minute: number, count: number }>()
  private sweptMinute = 0

  async hit(id: string, limit: number, now = Date.now()) {
    const w = this.window(id, now)
    if (w.count >= limit) return secondsToNextMinute(now)
    w.count++
    return undefined
  }

  async exceeded(id: string, limit: number, now = Date.now()) {
    return this.window(id, now).count >= limit ? secondsToNextMinute(now) : undefined
  }

  async add(id: string, amount: number, now = Date.now()) {
    this.window(id, now).count += amount
  }

  private window(id: string, now: number) {
    const minute = Math.floor(now / 60_000)
    if (minute !== this.sweptMinute) {
      // Old windows go once a minute, so the map stays the size of the active set.
      for (const [k, w] of this.windows) if (w.minute !== minute) this.windows.delete(k)
      this.sweptMinute = minute
    }
    let w = this.windows.get(id)
    if (!w || w.minute !== minute) {
      w = { minute, count: 0 }
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

class RedisMinuteCounter implements MinuteCounter {
  constructor(private client: Redis, private scope: string) {}

  private key(id: string, now: number) {
    return redisKey(`rate:${this.scope}:${id}:${Math.floor(now / 60_000)}`)
  }

  async hit(id: string, limit: number, now = Date.now()) {
    const c = await this.client.eval(HIT, 1, this.key(id, now), limit, 61_000) as number
    return c < 0 ? secondsToNextMinute(now) : undefined
  }

  async exceeded(id: string, limit: number, now = Date.now()) {
    const c = Number(await this.client.get(this.key(id, now)) ?? 0)
    return c >= limit ? secondsToNextMinute(now) : undefined
  }

  async add(id: string, amount: number, now = Date.now()) {
    await this.client.eval(ADD, 1, this.key(id, now), Math.round(amount), 61_000)
  }
}

/** A counter for one scope (e.g. "ip", "key-requests"), shared through Redis when it is configured. */
export function minuteCounter(scope: string): MinuteCounter {
  let impl: MinuteCounter | undefined
  const get = () => (impl ??= redis() ? new RedisMinuteCounter(redis()!, scope) : new MemoryMinuteCounter())
  return {
    hit: (...a) => get().hit(...a),
    exceeded: (...a) => get().exceeded(...a),
    add: (...a) => get().add(...a),
  }
}

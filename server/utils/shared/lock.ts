// A named mutex: serialised within the process, and across instances through Redis (SET NX with a
// lease, released only by its holder) when REDIS_URL is set.
import { randomUUID } from 'node:crypto'
import { redis, redisKey } from './redis'

const local = new Map<string, Promise<unknown>>()
const LEASE_MS = 30_000
const WAIT_MS = 15_000

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`

async function acquireShared(name: string): Promise<() => Promise<void>> {
  const client = redis()
  if (!client) return async () => {}
  const key = redisKey(`lock:${name}`)
  const token = randomUUID()
  const deadline = Date.now() + WAIT_MS
  while ((await client.set(key, token, 'PX', LEASE_MS, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the ${name} lock`)
    await new Promise(r => setTimeout(r, 50))
  }
  return async () => { await client.eval(RELEASE, 1, key, token) }
}

export function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = local.get(name) ?? Promise.resolve()
  const run = previous.catch(() => {}).then(async () => {
    const release = await acquireShared(name)
    try {
      return await fn()
    }
    finally {
      await release()
    }
  })
  local.set(name, run.catch(() => {}))
  return run
}

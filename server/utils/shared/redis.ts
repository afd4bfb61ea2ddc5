// The Redis connections used when REDIS_URL is set: one for commands, one for subscriptions. The
// driver (ioredis, and unstorage's Redis driver for the registry) is loaded at start-up only when
// REDIS_URL is set, so a single instance never carries it in memory.
import type Redis from 'ioredis'
import type { Driver } from 'unstorage'
import { config } from '../core/config'

interface RedisDrivers {
  Client: typeof Redis
  storage: (opts: { url: string, base: string }) => Driver
}

let drivers: RedisDrivers | undefined
let commands: Redis | undefined
let subscriptions: Redis | undefined

/** Loads the Redis drivers when REDIS_URL is set; the gateway's start-up awaits this before anything uses Redis. */
export async function loadRedisDrivers(): Promise<void> {
  if (!config().redisUrl || drivers) return
  const [{ default: Client }, { default: storage }] = await Promise.all([import('ioredis'), import('unstorage/drivers/redis')])
  drivers = { Client, storage }
}

function loaded(): RedisDrivers {
  if (!drivers) throw new Error('REDIS_URL is set but the Redis drivers are not loaded yet (loadRedisDrivers() runs at start-up).')
  return drivers
}

export function redis(): Redis | undefined {
  const url = config().redisUrl
  if (!url) return undefined
  commands ??= new (loaded().Client)(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true })
  return commands
}

export function redisSubscriber(): Redis | undefined {
  const url = config().redisUrl
  if (!url) return undefined
  subscriptions ??= new (loaded().Client)(url, { maxRetriesPerRequest: null })
  return subscriptions
}

/** unstorage's Redis driver (the registry's storage when instances share REDIS_URL). */
export function redisStorageDriver(url: string, base: string): Driver {
  return loaded().storage({ url, base })
}

export const redisKey = (name: string) => `${config().redisPrefix}${name}`

export async function closeRedis(): Promise<void> {
  await Promise.all([commands?.quit(), subscriptions?.quit()].map(p => p?.catch(() => {})))
  commands = undefined
  subscriptions = undefined
}

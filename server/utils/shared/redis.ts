// The Redis connections used when REDIS_URL is set: one for commands, one for subscriptions.
import Redis from 'ioredis'
import { config } from '../core/config'

let commands: Redis | undefined
let subscriptions: Redis | undefined

export function redis(): Redis | undefined {
  const url = config().redisUrl
  if (!url) return undefined
  commands ??= new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true })
  return commands
}

export function redisSubscriber(): Redis | undefined {
  const url = config().redisUrl
  if (!url) return undefined
  subscriptions ??= new Redis(url, { maxRetriesPerRequest: null })
  return subscriptions
}

export const redisKey = (name: string) => `${config().redisPrefix}${name}`

export async function closeRedis(): Promise<void> {
  await Promise.all([commands?.quit(), subscriptions?.quit()].map(p => p?.catch(() => {})))
  commands = undefined
  subscriptions = undefined
}

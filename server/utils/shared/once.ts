// "Only one instance does this": a Redis SET NX claim when instances share REDIS_URL; a single
// instance always may.
import { redis, redisKey } from './redis'

export async function claimOnce(name: string, ttlMs: number): Promise<boolean> {
  const client = redis()
  if (!client) return true
  return (await client.set(redisKey(`once:${name}`), String(process.pid), 'PX', ttlMs, 'NX')) === 'OK'
}

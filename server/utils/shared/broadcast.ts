// Telling the other gateway instances that something they cache changed (a key revoked, a route or
// credential edited, a new registry) or that they must act (a background response cancelled).
// Through Redis pub/sub when REDIS_URL is set; with a single instance there is nobody to tell, and
// the caller has already updated its own caches.
import { consola } from 'consola'
import { randomUUID } from 'node:crypto'
import { errorMessage } from '../core/error-message'
import { redis, redisKey, redisSubscriber } from './redis'

/** `responses-cancel`: a background response to stop (its id), wherever it runs. */
export type Topic = 'keys' | 'routes' | 'credentials' | 'registry' | 'responses-cancel'

const INSTANCE = randomUUID()
const handlers = new Map<Topic, (payload: string) => unknown>()
let subscribed: Promise<unknown> | undefined

export function broadcast(topic: Topic, payload = ''): void {
  redis()?.publish(redisKey(`events:${topic}`), JSON.stringify({ from: INSTANCE, payload })).catch((error) => {
    consola.warn(`[broadcast] could not publish ${topic}:`, errorMessage(error))
  })
}

/** Registers what this instance does when another one changes `topic`. */
export async function onBroadcast(topic: Topic, handler: (payload: string) => unknown): Promise<void> {
  const sub = redisSubscriber()
  if (!sub) return
  handlers.set(topic, handler)
  if (!subscribed) {
    sub.on('message', (channel: string, message: string) => {
      const { from, payload } = JSON.parse(message) as { from: string, payload: string }
      const topicName = channel.slice(redisKey('events:').length) as Topic
      if (from === INSTANCE) return
      Promise.resolve(handlers.get(topicName)?.(payload)).catch((error) => {
        consola.warn(`[broadcast] handling ${topicName} failed:`, errorMessage(error))
      })
    })
  }
  subscribed = sub.subscribe(redisKey(`events:${topic}`))
  await subscribed
}

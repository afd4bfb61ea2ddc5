// Per-client-IP request limit across /v1 and /api (RATE_LIMIT_PER_MINUTE).
import { config } from '../core/config'
import { MinuteCounter } from './fixed-window'

const perIp = new MinuteCounter()

/** Counts a request; returns the seconds until the window resets when the IP is over its limit. */
export function hitIpLimit(ip: string, now = Date.now()): number | undefined {
  const limit = config().rateLimitPerMinute
  return limit ? perIp.hit(ip, limit, now) : undefined
}

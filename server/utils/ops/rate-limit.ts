// Per-client-IP request limit across /v1 and /api (RATE_LIMIT_PER_MINUTE).
import { config } from '../core/config'
import { minuteCounter } from '../shared/fixed-window'

const perIp = minuteCounter('ip')

/** Counts a request; resolves to the seconds until the window resets when the IP is over its limit. */
export async function hitIpLimit(ip: string, now = Date.now()): Promise<number | undefined> {
  const limit = config().rateLimitPerMinute
  return limit ? perIp.hit(ip, limit, now) : undefined
}

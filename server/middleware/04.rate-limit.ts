// Per-client-IP rate limit on /v1 and /api (RATE_LIMIT_PER_MINUTE); over it: 429 with Retry-After.
import { defineEventHandler } from 'h3'
import { GatewayError } from '../utils/core/errors'
import { sendOpenAIError } from '../utils/gateway/respond'
import { clientIp } from '../utils/ops/client-ip'
import { countIpRateLimited } from '../utils/gateway/request-metrics'
import { hitIpLimit } from '../utils/ops/rate-limit'

export default defineEventHandler(async (event) => {
  const url = event.node.req.url ?? ''
  if (!url.startsWith('/v1/') && !url.startsWith('/api/')) return
  const retryAfter = await hitIpLimit(clientIp(event.node.req))
  if (retryAfter === undefined) return
  countIpRateLimited()
  sendOpenAIError(event, new GatewayError(429, 'Too many requests from this address; slow down.', 'rate_limit_error', 'rate_limit_exceeded', null, { 'retry-after': String(retryAfter) }))
})

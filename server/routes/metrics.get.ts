// Prometheus exposition. With METRICS_TOKEN it wants that bearer token; without it, it answers only
// connections from this machine (the socket's address, never X-Forwarded-For), since the series name
// key ids and their budget use.
import { defineEventHandler, type H3Event, setResponseHeader, setResponseStatus } from 'h3'
import { bearerToken } from '../utils/core/bearer-token'
import { config } from '../utils/core/config'
import { safeEqual } from '../utils/core/crypto'
import { isLoopbackSocket } from '../utils/ops/client-ip'
import { renderMetrics } from '../utils/ops/metrics'

function refuse(event: H3Event, status: number, text: string) {
  setResponseStatus(event, status)
  setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
  return `${text}\n`
}

export default defineEventHandler(async (event) => {
  const token = config().metricsToken
  if (token) {
    if (!safeEqual(bearerToken(event) ?? '', token)) {
      setResponseHeader(event, 'www-authenticate', 'Bearer')
      return refuse(event, 401, 'unauthorized')
    }
  }
  else if (!isLoopbackSocket(event.node.req)) {
    return refuse(event, 403, 'forbidden: without METRICS_TOKEN, /metrics answers only connections from this machine; set METRICS_TOKEN and send it as a bearer token')
  }
  const { contentType, text } = await renderMetrics()
  setResponseHeader(event, 'content-type', contentType)
  return text
})

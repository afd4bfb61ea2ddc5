// Prometheus exposition. Bearer-protected when METRICS_TOKEN is set.
import { config } from '../utils/core/config'
import { safeEqual } from '../utils/core/crypto'
import { metricsRegistry } from '../utils/ops/metrics'

export default defineEventHandler(async (event) => {
  const token = config().metricsToken
  if (token) {
    const auth = event.node.req.headers.authorization ?? ''
    if (!safeEqual(auth, `Bearer ${token}`)) {
      setResponseStatus(event, 401)
      setResponseHeader(event, 'www-authenticate', 'Bearer')
      return 'unauthorized\n'
    }
  }
  setResponseHeader(event, 'content-type', metricsRegistry.contentType)
  return metricsRegistry.metrics()
})

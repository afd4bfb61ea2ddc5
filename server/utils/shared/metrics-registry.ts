// The Prometheus registry every metric of the gateway is registered in, with Node's process metrics.
import { collectDefaultMetrics, Registry } from 'prom-client'

export const metricsRegistry = new Registry()
collectDefaultMetrics({ register: metricsRegistry })

// Prometheus series of the requests the gateway answers: counts, latency, time to first token, tokens,
// cost, upstream errors and refusals by a limit. Labels carry provider, model and status, never keys
// or secrets. Observed once per request, as it is metered.
import { Counter, Histogram } from 'prom-client'
import { metricsRegistry } from '../shared/metrics-registry'
import type { RequestRecord } from '../store/request-record'
import { nanoToUsd } from '../core/money'

const registers = [metricsRegistry]

const requests = new Counter({ name: 'gateway_requests_total', help: 'Requests answered on /v1, by provider, model and HTTP status', labelNames: ['provider', 'model', 'status'], registers })
const duration = new Histogram({
  name: 'gateway_request_duration_seconds',
  help: 'Time from request to the end of the response',
  labelNames: ['provider', 'model'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
  registers,
})
const ttft = new Histogram({
  name: 'gateway_ttft_seconds',
  help: 'Time to the first byte of the answer (first token for streams)',
  labelNames: ['provider', 'model'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers,
})
const tokens = new Counter({ name: 'gateway_tokens_total', help: 'Tokens metered, by type (prompt includes cached)', labelNames: ['provider', 'model', 'type'], registers })
/** Cost per provider and model in nano-dollars, summed exactly; the counter shows it in dollars at each scrape. */
const costNanoByModel = new Map<string, { provider: string, model: string, nano: number }>()
new Counter({
  name: 'gateway_cost_usd_total',
  help: 'Cost metered in USD',
  labelNames: ['provider', 'model'],
  registers,
  collect() {
    this.reset()
    for (const { provider, model, nano } of costNanoByModel.values()) this.inc({ provider, model }, nanoToUsd(nano))
  },
})

function addCost(provider: string, model: string, nano: number): void {
  const k = `${provider}\u0000${model}`
  const known = costNanoByModel.get(k)
  if (known) known.nano += nano
  else costNanoByModel.set(k, { provider, model, nano })
}
const upstreamErrors = new Counter({ name: 'gateway_upstream_errors_total', help: 'Failed upstream calls, by provider and gateway error code', labelNames: ['provider', 'code'], registers })
const unpriced = new Counter({ name: 'gateway_unpriced_requests_total', help: 'Requests served for a model without a price (UNPRICED_MODELS=allow): cost unknown', labelNames: ['provider', 'model'], registers })
const rateLimited = new Counter({ name: 'gateway_rate_limited_total', help: 'Requests refused by a limit, by scope (ip, key, budget)', labelNames: ['scope'], registers })

const UPSTREAM_CODES = new Set(['upstream_error', 'upstream_auth_failed', 'upstream_unreachable', 'upstream_timeout', 'upstream_overloaded', 'upstream_rate_limited'])

export function observeRequest(r: RequestRecord): void {
  const provider = r.provider ?? ''
  const model = r.model ?? ''
  requests.inc({ provider, model, status: String(r.status) })
  duration.observe({ provider, model }, r.latencyMs / 1000)
  if (r.ttftMs !== null) ttft.observe({ provider, model }, r.ttftMs / 1000)
  if (r.promptTokens) tokens.inc({ provider, model, type: 'prompt' }, r.promptTokens)
  if (r.cachedTokens) tokens.inc({ provider, model, type: 'cached' }, r.cachedTokens)
  if (r.completionTokens) tokens.inc({ provider, model, type: 'completion' }, r.completionTokens)
  if (r.costNanoUsd) addCost(provider, model, r.costNanoUsd)
  if (r.unpriced) unpriced.inc({ provider, model })
  if (r.errorCode && UPSTREAM_CODES.has(r.errorCode)) upstreamErrors.inc({ provider, code: r.errorCode })
  if (r.errorCode === 'rate_limit_exceeded') rateLimited.inc({ scope: 'key' })
  if (r.errorCode === 'budget_exceeded') rateLimited.inc({ scope: 'budget' })
}

export function countIpRateLimited(): void {
  rateLimited.inc({ scope: 'ip' })
}

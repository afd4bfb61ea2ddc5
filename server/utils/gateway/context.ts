// The state of one /v1 request from its start to its metering: which key, which provider and model
// answered, timings, the budget it holds and the request-log row it ended with. The request framework
// hands each endpoint an AuthenticatedContext, whose key is known.
import type { Span } from '@opentelemetry/api'
import type { ModelEntry } from '../registry/schema'
import type { GatewayKey } from '../store/keys'
import type { RequestRecord } from '../store/request-record'

export interface RequestContext {
  id: string
  startedAt: number
  /** performance.now() at the start, for the gateway's own time (x-gateway-overhead-ms). */
  startedPerf: number
  /** Time spent waiting on upstreams (calls, retries and their waits, reading answers), in ms. */
  upstreamMs: number
  endpoint: RequestRecord['endpoint']
  stream: boolean
  /** Set once the request authenticated; a request that failed before has none and is not metered. */
  key?: GatewayKey
  /** The connection that answered (or was tried last). */
  provider?: string
  entry?: ModelEntry
  /** The version of the registry `entry` was taken from. */
  registryVersion?: number
  /** The model (or route) name the client sent, once it resolved. */
  requestedModel?: string
  ttftMs: number | null
  /** The request-log row, once the request has ended. */
  record?: RequestRecord
  /** The budget the request holds in nano-dollars (reserved for the target being tried), settled when it ends. */
  heldNanoUsd: number
  /** The request's server span and its answering upstream attempt's, when tracing is on (./trace.ts). */
  span?: Span
  attemptSpan?: Span
  /** Set when the request goes on after its answer (a background response), which meters it later. */
  detached?: boolean
  /** The prompt as text, for counting tokens when a request is cut short. */
  promptText?: () => string
}

/** The context of a request whose key authenticated. */
export interface AuthenticatedContext extends RequestContext {
  key: GatewayKey
}

export function newRequestContext(endpoint: RequestRecord['endpoint'], id: string): RequestContext {
  return { id, startedAt: Date.now(), startedPerf: performance.now(), upstreamMs: 0, endpoint, stream: false, ttftMs: null, heldNanoUsd: 0 }
}

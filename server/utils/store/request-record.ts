// One finished request as the gateway meters it: what the request log stores, the rollups sum and
// the access log and metrics report.
export interface RequestRecord {
  id: string
  createdAt: number
  keyId: string
  endpoint: 'chat' | 'embeddings' | 'messages' | 'responses'
  provider: string | null
  /** The registry model that priced the request. */
  model: string | null
  /** The model (or route) name the client sent: a snapshot id, an alias, `provider/model`. */
  requestedModel: string | null
  stream: boolean
  status: number
  errorCode: string | null
  promptTokens: number
  cachedTokens: number
  cacheWriteTokens: number
  /** The part of cacheWriteTokens written for 1 hour. */
  cacheWrite1hTokens: number
  completionTokens: number
  reasoningTokens: number
  /** The request's cost in nano-dollars (core/money.ts). */
  costNanoUsd: number
  /** Served without a price (UNPRICED_MODELS=allow): the cost is unknown, and costNanoUsd 0. */
  unpriced: boolean
  estimated: boolean
  latencyMs: number
  ttftMs: number | null
}

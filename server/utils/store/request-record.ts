// One finished request as the gateway meters it: what the request log stores, the rollups sum and
// the access log and metrics report.
/** One line of a bill as stored: tokens of a class at a unit price in USD per 1M tokens (registry/cost.ts's CostLine). */
export interface BilledLine {
  class: string
  tokens: number
  usdPerMillion: number
  /** The inference-geography multiplier in usdPerMillion, when one applied. */
  multiplier?: number
}

export interface RequestRecord {
  id: string
  createdAt: number
  keyId: string
  endpoint: 'chat' | 'embeddings' | 'messages' | 'responses' | 'conversations'
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
  /** The lines it was billed (class × tokens × unit price): the audit of costNanoUsd. */
  costLines: BilledLine[]
  /** The registry version whose prices billed it; null when no model priced it. */
  registryVersion: number | null
  /** The tier that served it as the provider said (flex, priority, batch); null for standard. */
  serviceTier: string | null
  /** Served without a price (UNPRICED_MODELS=allow): the cost is unknown, and costNanoUsd 0. */
  unpriced: boolean
  estimated: boolean
  latencyMs: number
  ttftMs: number | null
}

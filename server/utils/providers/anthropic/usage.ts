// Anthropic usage objects → TokenUsage. Anthropic's
// input_tokens excludes cache reads and cache writes; OpenAI's prompt_tokens includes every prompt
// token, so the three are added up. Cache writes are split by lifetime in `cache_creation`
// (5 minutes or 1 hour, priced apart); without that split every write counts as a 5-minute one.
// `service_tier` names the tier that served the request: "standard", "priority" or "batch";
// `inference_geo` where it ran ("us" costs more on recent models), and `server_tool_use` the web
// searches Anthropic ran for it (billed per search).
import type { TokenUsage } from '../../registry/cost'
import type { ServiceTier } from '../../registry/schema'

export interface AnthropicUsage {
  input_tokens?: number | null
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation?: { ephemeral_5m_input_tokens?: number | null, ephemeral_1h_input_tokens?: number | null } | null
  output_tokens?: number | null
  output_tokens_details?: { thinking_tokens?: number | null } | null
  service_tier?: string | null
  inference_geo?: string | null
  server_tool_use?: { web_search_requests?: number | null } | null
}

const SERVED_TIERS: Record<string, ServiceTier> = { priority: 'priority', batch: 'batch' }

export function fromAnthropicUsage(u: AnthropicUsage | null | undefined): TokenUsage {
  const cacheRead = u?.cache_read_input_tokens ?? 0
  const cacheWrite = u?.cache_creation_input_tokens ?? 0
  return {
    promptTokens: (u?.input_tokens ?? 0) + cacheRead + cacheWrite,
    cachedTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: Math.min(cacheWrite, u?.cache_creation?.ephemeral_1h_input_tokens ?? 0),
    completionTokens: u?.output_tokens ?? 0,
    reasoningTokens: u?.output_tokens_details?.thinking_tokens ?? 0,
    ...u?.service_tier && SERVED_TIERS[u.service_tier] ? { serviceTier: SERVED_TIERS[u.service_tier] } : {},
    ...u?.inference_geo ? { inferenceGeo: u.inference_geo } : {},
    ...u?.server_tool_use?.web_search_requests ? { webSearchCalls: u.server_tool_use.web_search_requests } : {},
  }
}

const COUNTERS = ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'output_tokens'] as const

/**
 * Usage of a streamed message. message_start carries the input counts and a first output count;
 * message_delta carries the cumulative output count and, in newer API versions, the input counts
 * again. All are running totals, so each counter keeps the largest value seen.
 */
export function streamUsageTracker() {
  let seen = false
  const totals: Record<typeof COUNTERS[number], number> & Pick<AnthropicUsage, 'output_tokens_details' | 'cache_creation' | 'service_tier' | 'inference_geo' | 'server_tool_use'> = {
    input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0,
  }
  return {
    add(u: AnthropicUsage | null | undefined) {
      if (!u) return
      seen = true
      for (const k of COUNTERS) totals[k] = Math.max(totals[k], u[k] ?? 0)
      if (u.output_tokens_details) totals.output_tokens_details = u.output_tokens_details
      if (u.cache_creation) totals.cache_creation = u.cache_creation
      if (u.service_tier) totals.service_tier = u.service_tier
      if (u.inference_geo) totals.inference_geo = u.inference_geo
      // Running totals too: the last count is the largest.
      if (u.server_tool_use) totals.server_tool_use = u.server_tool_use
    },
    usage: (): TokenUsage | undefined => (seen ? fromAnthropicUsage(totals) : undefined),
  }
}

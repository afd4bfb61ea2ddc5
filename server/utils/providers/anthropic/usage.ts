// Anthropic usage objects → TokenUsage. Anthropic's
// input_tokens excludes cache reads and cache writes; OpenAI's prompt_tokens includes every prompt
// token, so the three are added up. Cache writes are split by lifetime in `cache_creation`
// (5 minutes or 1 hour, priced apart); without that split every write counts as a 5-minute one.
import type { TokenUsage } from '../../registry/cost'

export interface AnthropicUsage {
  input_tokens?: number | null
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation?: { ephemeral_5m_input_tokens?: number | null, ephemeral_1h_input_tokens?: number | null } | null
  output_tokens?: number | null
  output_tokens_details?: { thinking_tokens?: number | null } | null
}

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
  const totals: Record<typeof COUNTERS[number], number> & Pick<AnthropicUsage, 'output_tokens_details' | 'cache_creation'> = {
    input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0,
  }
  return {
    add(u: AnthropicUsage | null | undefined) {
      if (!u) return
      seen = true
      for (const k of COUNTERS) totals[k] = Math.max(totals[k], u[k] ?? 0)
      if (u.output_tokens_details) totals.output_tokens_details = u.output_tokens_details
      if (u.cache_creation) totals.cache_creation = u.cache_creation
    },
    usage: (): TokenUsage | undefined => (seen ? fromAnthropicUsage(totals) : undefined),
  }
}

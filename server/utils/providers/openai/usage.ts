// OpenAI usage objects ↔ TokenUsage. prompt_tokens already includes cached tokens, audio tokens and
// the tokens written to the cache (`prompt_tokens_details.cache_write_tokens`, priced apart on models
// with a cache-write price), and completion_tokens already includes reasoning and audio tokens. The
// tier that served the request is the answer's `service_tier`, beside its usage.
import type { TokenUsage } from '../../registry/cost'
import type { ServiceTier } from '../../registry/schema'

interface OpenAIUsage {
  prompt_tokens?: number
  completion_tokens?: number
  prompt_tokens_details?: { cached_tokens?: number, cache_write_tokens?: number, audio_tokens?: number | null } | null
  completion_tokens_details?: { reasoning_tokens?: number, audio_tokens?: number | null } | null
}

/**
 * The tier OpenAI says served a request (the answer's `service_tier`): "flex", and "priority" or its
 * new name "fast". "default", "auto" and "scale" (Scale Tier units are bought up front) are standard.
 */
export function openaiServedTier(value: unknown): ServiceTier | undefined {
  if (value === 'flex') return 'flex'
  if (value === 'priority' || value === 'fast') return 'priority'
  return undefined
}

/** `service_tier` of an answer's JSON text, found from the end (where OpenAI puts it, after the content). */
export function servedTierOfBody(body: string): ServiceTier | undefined {
  const at = body.lastIndexOf('"service_tier"')
  return at < 0 ? undefined : openaiServedTier(/^"service_tier"\s*:\s*"([a-z]+)"/.exec(body.slice(at, at + 40))?.[1])
}

export function fromOpenAIUsage(u: OpenAIUsage | null | undefined, serviceTier?: ServiceTier): TokenUsage {
  const usage: TokenUsage = {
    promptTokens: u?.prompt_tokens ?? 0,
    cachedTokens: u?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: u?.prompt_tokens_details?.cache_write_tokens ?? 0,
    completionTokens: u?.completion_tokens ?? 0,
    reasoningTokens: u?.completion_tokens_details?.reasoning_tokens ?? 0,
  }
  const audioIn = u?.prompt_tokens_details?.audio_tokens ?? 0
  const audioOut = u?.completion_tokens_details?.audio_tokens ?? 0
  if (audioIn) usage.audioTokens = audioIn
  if (audioOut) usage.audioOutputTokens = audioOut
  if (serviceTier) usage.serviceTier = serviceTier
  return usage
}

/** OpenAI's `usage` object for a chat completion (or its final stream chunk). */
export function toOpenAIUsage(u: TokenUsage) {
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    total_tokens: u.promptTokens + u.completionTokens,
    prompt_tokens_details: { cached_tokens: u.cachedTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  }
}

/** A Responses API `usage` object (input_tokens includes cached ones, output_tokens reasoning ones). */
export interface ResponsesUsage {
  input_tokens?: number
  input_tokens_details?: { cached_tokens?: number } | null
  output_tokens?: number
  output_tokens_details?: { reasoning_tokens?: number } | null
}

export function fromResponsesUsage(u: ResponsesUsage | null | undefined, serviceTier?: ServiceTier): TokenUsage {
  return {
    promptTokens: u?.input_tokens ?? 0,
    cachedTokens: u?.input_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    completionTokens: u?.output_tokens ?? 0,
    reasoningTokens: u?.output_tokens_details?.reasoning_tokens ?? 0,
    ...serviceTier ? { serviceTier } : {},
  }
}

export function toResponsesUsage(u: TokenUsage) {
  return {
    input_tokens: u.promptTokens,
    input_tokens_details: { cached_tokens: u.cachedTokens },
    output_tokens: u.completionTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.promptTokens + u.completionTokens,
  }
}

// OpenAI usage objects ↔ TokenUsage. prompt_tokens already includes cached tokens and the tokens
// written to the cache (`prompt_tokens_details.cache_write_tokens`, priced apart on models with a
// cache-write price), and completion_tokens already includes reasoning tokens.
import type { TokenUsage } from '../../registry/cost'

interface OpenAIUsage {
  prompt_tokens?: number
  completion_tokens?: number
  prompt_tokens_details?: { cached_tokens?: number, cache_write_tokens?: number } | null
  completion_tokens_details?: { reasoning_tokens?: number } | null
}

export function fromOpenAIUsage(u: OpenAIUsage | null | undefined): TokenUsage {
  return {
    promptTokens: u?.prompt_tokens ?? 0,
    cachedTokens: u?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: u?.prompt_tokens_details?.cache_write_tokens ?? 0,
    completionTokens: u?.completion_tokens ?? 0,
    reasoningTokens: u?.completion_tokens_details?.reasoning_tokens ?? 0,
  }
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

export function fromResponsesUsage(u: ResponsesUsage | null | undefined): TokenUsage {
  return {
    promptTokens: u?.input_tokens ?? 0,
    cachedTokens: u?.input_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    completionTokens: u?.output_tokens ?? 0,
    reasoningTokens: u?.output_tokens_details?.reasoning_tokens ?? 0,
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

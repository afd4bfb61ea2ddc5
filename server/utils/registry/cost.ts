// Cost of one request from its token usage and the model's registry prices (USD per 1M tokens).
import type { Pricing } from './schema'

export interface TokenUsage {
  /** All prompt tokens, cached ones included (OpenAI's meaning). */
  promptTokens: number
  /** Prompt tokens read from the provider's cache. */
  cachedTokens: number
  /** Prompt tokens written to the provider's cache (Anthropic). */
  cacheWriteTokens: number
  /** All completion tokens, reasoning included. */
  completionTokens: number
  reasoningTokens: number
}

export const ZERO_USAGE: TokenUsage = { promptTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 0, reasoningTokens: 0 }

/** The prices in force for a prompt of this size: the highest long-context tier it exceeds, else the base. */
export function pricesFor(pricing: Pricing, promptTokens: number): { input: number, cachedInput?: number, cacheWrite?: number, output: number } {
  let chosen: { input: number, cachedInput?: number, output: number } = pricing
  let threshold = 0
  for (const tier of pricing.tiers ?? []) {
    if (promptTokens > tier.aboveTokens && tier.aboveTokens >= threshold) {
      chosen = tier
      threshold = tier.aboveTokens
    }
  }
  return { input: chosen.input, cachedInput: chosen.cachedInput ?? pricing.cachedInput, cacheWrite: pricing.cacheWrite, output: chosen.output }
}

export function costUsd(pricing: Pricing, u: TokenUsage): number {
  const p = pricesFor(pricing, u.promptTokens)
  const uncached = Math.max(0, u.promptTokens - u.cachedTokens - u.cacheWriteTokens)
  const micro = uncached * p.input
    + u.cachedTokens * (p.cachedInput ?? p.input)
    + u.cacheWriteTokens * (p.cacheWrite ?? p.input)
    + u.completionTokens * p.output
  return micro / 1e6
}

// Cost of one request from its token usage and the model's registry prices (USD per 1M tokens), in
// exact integers: each price is taken as whole pico-dollars per token (USD per 1M × 1e6), every line
// (token class × tokens × unit price) is summed exactly, and the request's total is rounded once, half
// up, to whole nano-dollars (core/money.ts), the unit everything downstream stores and sums. Prices
// are those in force at the request's time (`at`, epoch ms): a scheduled price applies from its date.
import type { Pricing } from './schema'

export interface TokenUsage {
  /** All prompt tokens, cached ones included (OpenAI's meaning). */
  promptTokens: number
  /** Prompt tokens read from the provider's cache. */
  cachedTokens: number
  /** Prompt tokens written to the provider's cache, for any lifetime (Anthropic's 5-minute and 1-hour writes). */
  cacheWriteTokens: number
  /** The part of cacheWriteTokens written for 1 hour (Anthropic's `ephemeral_1h_input_tokens`); 0 when absent. */
  cacheWrite1hTokens?: number
  /** All completion tokens, reasoning included. */
  completionTokens: number
  reasoningTokens: number
}

export const ZERO_USAGE: TokenUsage = { promptTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 0, reasoningTokens: 0 }

export interface PricesInForce {
  input: number
  cachedInput?: number
  cacheWrite?: number
  cacheWrite1h?: number
  output: number
}

/** The prices in force at `at` (epoch ms): the last schedule entry that has begun, else the base prices. */
export function pricingAt(pricing: Pricing, at: number): Omit<Pricing, 'schedule'> {
  let current: Omit<Pricing, 'schedule'> = pricing
  for (const entry of pricing.schedule ?? []) {
    if (Date.parse(entry.from) > at) break
    current = entry
  }
  return current
}

/** The prices in force at `at` for a prompt of this size: the highest long-context tier it exceeds, else the base. */
export function pricesFor(scheduled: Pricing, promptTokens: number, at: number): PricesInForce {
  const pricing = pricingAt(scheduled, at)
  let chosen: { input: number, cachedInput?: number, cacheWrite?: number, output: number } = pricing
  let threshold = 0
  for (const tier of pricing.tiers ?? []) {
    if (promptTokens > tier.aboveTokens && tier.aboveTokens >= threshold) {
      chosen = tier
      threshold = tier.aboveTokens
    }
  }
  return {
    input: chosen.input,
    cachedInput: chosen.cachedInput ?? pricing.cachedInput,
    cacheWrite: chosen.cacheWrite ?? pricing.cacheWrite,
    cacheWrite1h: pricing.cacheWrite1h,
    output: chosen.output,
  }
}

export type CostClass = 'input' | 'cachedInput' | 'cacheWrite' | 'cacheWrite1h' | 'output'

/** One line of a bill: tokens of a class at its unit price. */
export interface CostLine {
  class: CostClass
  tokens: number
  /** The unit price as the registry has it: USD per 1M tokens. */
  usdPerMillion: number
}

/** The lines a request made at `at` (epoch ms) is billed: a class without tokens has none. */
export function costLines(pricing: Pricing, u: TokenUsage, at: number): CostLine[] {
  const p = pricesFor(pricing, u.promptTokens, at)
  const written1h = Math.min(u.cacheWrite1hTokens ?? 0, u.cacheWriteTokens)
  const uncached = Math.max(0, u.promptTokens - u.cachedTokens - u.cacheWriteTokens)
  const lines: CostLine[] = [
    { class: 'input', tokens: uncached, usdPerMillion: p.input },
    { class: 'cachedInput', tokens: u.cachedTokens, usdPerMillion: p.cachedInput ?? p.input },
    { class: 'cacheWrite', tokens: u.cacheWriteTokens - written1h, usdPerMillion: p.cacheWrite ?? p.input },
    { class: 'cacheWrite1h', tokens: written1h, usdPerMillion: p.cacheWrite1h ?? p.cacheWrite ?? p.input },
    { class: 'output', tokens: u.completionTokens, usdPerMillion: p.output },
  ]
  return lines.filter(l => l.tokens > 0)
}

/** A price in USD per 1M tokens as whole pico-dollars per token (the registry's prices have at most 6 decimals). */
export const picoPerToken = (usdPerMillion: number): bigint => BigInt(Math.round(usdPerMillion * 1e6))

/** The exact sum of `lines`, rounded half up to whole nano-dollars. */
export function linesNanoUsd(lines: CostLine[]): number {
  let pico = 0n
  for (const l of lines) pico += BigInt(l.tokens) * picoPerToken(l.usdPerMillion)
  return Number((pico + 500n) / 1000n)
}

/** What a request made at `at` (epoch ms) costs, in nano-dollars. */
export function costNanoUsd(pricing: Pricing, u: TokenUsage, at: number): number {
  return linesNanoUsd(costLines(pricing, u, at))
}

// Cost of one request from its token usage and the model's registry prices (USD per 1M tokens), in
// exact integers: each price is taken as whole pico-dollars per token (USD per 1M × 1e6), every line
// (token class × tokens × unit price) is summed exactly, and the request's total is rounded once, half
// up, to whole nano-dollars (core/money.ts), the unit everything downstream stores and sums. Prices
// are those in force at the request's time (`at`, epoch ms): a scheduled price applies from its date,
// in the service tier that served the request (standard when the provider names none the registry prices).
import type { Pricing, ServiceTier, TierPricing } from './schema'

export interface TokenUsage {
  /** All prompt tokens, cached ones included (OpenAI's meaning). */
  promptTokens: number
  /** Prompt tokens read from the provider's cache. */
  cachedTokens: number
  /** Prompt tokens written to the provider's cache, for any lifetime (Anthropic's 5-minute and 1-hour writes). */
  cacheWriteTokens: number
  /** The part of cacheWriteTokens written for 1 hour (Anthropic's `ephemeral_1h_input_tokens`); 0 when absent. */
  cacheWrite1hTokens?: number
  /** The audio part of promptTokens, cached audio included (Gemini's AUDIO modality, OpenAI's audio_tokens). */
  audioTokens?: number
  /** The audio part of cachedTokens. */
  cachedAudioTokens?: number
  /** All completion tokens, reasoning included. */
  completionTokens: number
  reasoningTokens: number
  /** The audio part of completionTokens. */
  audioOutputTokens?: number
  /** The tier that served the request, as the provider's answer says; standard when absent. */
  serviceTier?: ServiceTier
  /** Where inference ran, as the answer says (Anthropic's `usage.inference_geo`: "us", "global"). */
  inferenceGeo?: string
  /** Web searches the provider ran for the request (Anthropic's `server_tool_use.web_search_requests`). */
  webSearchCalls?: number
}

export const ZERO_USAGE: TokenUsage = { promptTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 0, reasoningTokens: 0 }

export type PricesInForce = Omit<TierPricing, 'tiers'>

/** The prices in force at `at` (epoch ms): the last schedule entry that has begun, else the base prices. */
export function pricingAt(pricing: Pricing, at: number): Omit<Pricing, 'schedule'> {
  let current: Omit<Pricing, 'schedule'> = pricing
  for (const entry of pricing.schedule ?? []) {
    if (Date.parse(entry.from) > at) break
    current = entry
  }
  return current
}

/** The tier's own prices at `at`; a tier the registry does not price is billed at standard. */
export function tierPricingAt(pricing: Pricing, at: number, tier?: ServiceTier): TierPricing {
  const current = pricingAt(pricing, at)
  return (tier && current.serviceTiers?.[tier]) || current
}

/** The prices in force at `at` for a prompt of this size: the highest long-context tier it exceeds, else the base. */
export function pricesFor(scheduled: Pricing, promptTokens: number, at: number, tier?: ServiceTier): PricesInForce {
  const pricing = tierPricingAt(scheduled, at, tier)
  let chosen: { input: number, cachedInput?: number, cacheWrite?: number, output: number } = pricing
  let threshold = 0
  for (const longTier of pricing.tiers ?? []) {
    if (promptTokens > longTier.aboveTokens && longTier.aboveTokens >= threshold) {
      chosen = longTier
      threshold = longTier.aboveTokens
    }
  }
  return {
    input: chosen.input,
    cachedInput: chosen.cachedInput ?? pricing.cachedInput,
    cacheWrite: chosen.cacheWrite ?? pricing.cacheWrite,
    cacheWrite1h: pricing.cacheWrite1h,
    audioInput: pricing.audioInput,
    audioCachedInput: pricing.audioCachedInput,
    output: chosen.output,
    audioOutput: pricing.audioOutput,
  }
}

export type CostClass = 'input' | 'cachedInput' | 'cacheWrite' | 'cacheWrite1h' | 'audioInput' | 'audioCachedInput' | 'output' | 'audioOutput' | 'webSearch'

/** One line of a bill: tokens of a class at its unit price (for a tool fee: calls, at USD per 1M calls). */
export interface CostLine {
  class: CostClass
  tokens: number
  /** The unit price billed: USD per 1M tokens, the registry's price times `multiplier`. */
  usdPerMillion: number
  /** The inference-geography multiplier applied to the registry's price, when one was. */
  multiplier?: number
}

/** A price times a multiplier, to the registry's precision (6 decimals of USD per 1M). */
const times = (usdPerMillion: number, multiplier: number) => Math.round(usdPerMillion * multiplier * 1e6) / 1e6

/**
 * The lines a request made at `at` (epoch ms) is billed: a class without tokens has none. Audio
 * tokens get lines of their own only where audio is priced apart; elsewhere they are billed as the
 * text tokens of their class.
 */
export function costLines(pricing: Pricing, u: TokenUsage, at: number): CostLine[] {
  const p = pricesFor(pricing, u.promptTokens, at, u.serviceTier)
  const written1h = Math.min(u.cacheWrite1hTokens ?? 0, u.cacheWriteTokens)
  const cachedAudioAll = Math.min(u.cachedAudioTokens ?? 0, u.cachedTokens)
  const cachedAudio = p.audioCachedInput === undefined ? 0 : cachedAudioAll
  const audio = p.audioInput === undefined ? 0 : Math.max(0, Math.min((u.audioTokens ?? 0) - cachedAudioAll, u.promptTokens - u.cachedTokens - u.cacheWriteTokens))
  const audioOut = p.audioOutput === undefined ? 0 : Math.min(u.audioOutputTokens ?? 0, u.completionTokens)
  const uncached = Math.max(0, u.promptTokens - u.cachedTokens - u.cacheWriteTokens - audio)
  const lines: CostLine[] = [
    { class: 'input', tokens: uncached, usdPerMillion: p.input },
    { class: 'cachedInput', tokens: u.cachedTokens - cachedAudio, usdPerMillion: p.cachedInput ?? p.input },
    { class: 'cacheWrite', tokens: u.cacheWriteTokens - written1h, usdPerMillion: p.cacheWrite ?? p.input },
    { class: 'cacheWrite1h', tokens: written1h, usdPerMillion: p.cacheWrite1h ?? p.cacheWrite ?? p.input },
    { class: 'audioInput', tokens: audio, usdPerMillion: p.audioInput ?? p.input },
    { class: 'audioCachedInput', tokens: cachedAudio, usdPerMillion: p.audioCachedInput ?? p.cachedInput ?? p.input },
    { class: 'output', tokens: u.completionTokens - audioOut, usdPerMillion: p.output },
    { class: 'audioOutput', tokens: audioOut, usdPerMillion: p.audioOutput ?? p.output },
  ]
  const multiplier = u.inferenceGeo === undefined ? undefined : pricing.geoMultipliers?.[u.inferenceGeo]
  const billed = multiplier === undefined ? lines : lines.map(l => ({ ...l, usdPerMillion: times(l.usdPerMillion, multiplier), multiplier }))
  // A tool fee is per 1,000 calls: per 1M calls, it is a thousand times that.
  const searchFee = pricing.toolFees?.webSearch
  if (searchFee !== undefined) billed.push({ class: 'webSearch', tokens: u.webSearchCalls ?? 0, usdPerMillion: searchFee * 1000 })
  return billed.filter(l => l.tokens > 0)
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

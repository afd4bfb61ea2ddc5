// What one upstream call may cost at most, which is what its budget reservation holds. The completion
// cap is decided here once per call and both sent upstream and counted, so the provider cannot be
// asked for more than was reserved; the prompt is estimated from the body's size.
import { linesNanoUsd, pricesFor } from '../registry/cost'
import type { ModelEntry, ServiceTier } from '../registry/schema'

/** Characters per prompt token assumed for a reservation: fewer than tokenizers average, so it estimates high. */
export const PROMPT_CHARS_PER_TOKEN = 3

/**
 * The completion tokens one call may produce, as sent upstream: the client's cap, else `fallback`
 * (the default cap of a budgeted key; none for an unbudgeted one), never above the model's limit.
 * A cap above the limit is lowered to it, so nothing beyond the limit is reserved or sent.
 */
export function completionCap(entry: ModelEntry, requested: number | null | undefined, fallback: number | undefined): number | undefined {
  const cap = requested ?? fallback
  if (cap === undefined || entry.maxOutputTokens === undefined) return cap
  return Math.min(cap, entry.maxOutputTokens)
}

/**
 * The most a call made at `at` (epoch ms) can cost, in nano-dollars: the prompt at its dearest price
 * per token (a cache write or audio costs more than plain input), and `choices` completions (OpenAI's
 * n, Gemini's candidateCount) of `cap` tokens each, at the prices of the tier the client asked for
 * (`service_tier: "priority"` costs more than standard), times the multiplier of the inference
 * geography it asked for (Anthropic's `inference_geo: "us"`).
 */
export function estimateCostNanoUsd(entry: ModelEntry, promptChars: number, cap: number, choices: number, at: number, asked: { tier?: ServiceTier, geo?: string } = {}): number {
  // An unpriced model (served with UNPRICED_MODELS=allow) reserves nothing: its cost is unknown.
  if (!entry.pricing) return 0
  const promptTokens = Math.ceil(promptChars / PROMPT_CHARS_PER_TOKEN)
  const prices = pricesFor(entry.pricing, promptTokens, at, asked.tier)
  const multiplier = (asked.geo && entry.pricing.geoMultipliers?.[asked.geo]) || 1
  const completionTokens = entry.mode === 'chat' ? cap * choices : 0
  return linesNanoUsd([
    { class: 'input', tokens: promptTokens, usdPerMillion: multiplier * Math.max(prices.input, prices.cacheWrite ?? 0, prices.cacheWrite1h ?? 0, prices.audioInput ?? 0) },
    { class: 'output', tokens: completionTokens, usdPerMillion: multiplier * Math.max(prices.output, prices.audioOutput ?? 0) },
  ])
}

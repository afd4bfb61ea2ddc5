// What one upstream call may cost at most, which is what its budget reservation holds. The completion
// cap is decided here once per call and both sent upstream and counted, so the provider cannot be
// asked for more than was reserved; the prompt is estimated from the body's size.
import { linesNanoUsd, pricesFor } from '../registry/cost'
import { type ModelEntry, SERVICE_TIERS } from '../registry/schema'

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
 * per token (a cache write or audio costs more than plain input) in the dearest tier the provider may
 * serve it at (a request may ask for Priority), and `choices` completions (OpenAI's n, Gemini's
 * candidateCount) of `cap` tokens each.
 */
export function estimateCostNanoUsd(entry: ModelEntry, promptChars: number, cap: number, choices: number, at: number): number {
  const promptTokens = Math.ceil(promptChars / PROMPT_CHARS_PER_TOKEN)
  const tiers = [undefined, ...SERVICE_TIERS].map(tier => pricesFor(entry.pricing, promptTokens, at, tier))
  const input = Math.max(...tiers.map(p => Math.max(p.input, p.cacheWrite ?? 0, p.cacheWrite1h ?? 0, p.audioInput ?? 0)))
  const output = Math.max(...tiers.map(p => Math.max(p.output, p.audioOutput ?? 0)))
  const completionTokens = entry.mode === 'chat' ? cap * choices : 0
  return linesNanoUsd([
    { class: 'input', tokens: promptTokens, usdPerMillion: input },
    { class: 'output', tokens: completionTokens, usdPerMillion: output },
  ])
}

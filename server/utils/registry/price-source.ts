// The prices a model is billed at, whatever their source: its own (scraped, seed, manual), another
// registry model's times a multiplier (`priceAs`), zero for a `free` model, or none: an unpriced
// model, which the gateway refuses unless UNPRICED_MODELS=allow, so that nothing is billed $0 by accident.
import type { ModelEntry, Pricing, ServiceTier } from './schema'

const FREE: Pricing = { input: 0, output: 0 }

/** The per-token price fields of one set of prices (a tier's, a long-context tier's, a scheduled one's). */
const TOKEN_FIELDS = ['input', 'cachedInput', 'cacheWrite', 'cacheWrite1h', 'audioInput', 'audioCachedInput', 'output', 'audioOutput'] as const

type TokenPrices = Partial<Record<typeof TOKEN_FIELDS[number], number>> & { tiers?: TokenPrices[], serviceTiers?: Partial<Record<ServiceTier, TokenPrices>> }

/** Every token price of `p`, its long-context tiers' and its service tiers' times `k`. */
function scaled<T extends TokenPrices>(p: T, k: number): T {
  const out: TokenPrices = { ...p }
  for (const f of TOKEN_FIELDS) if (p[f] !== undefined) out[f] = p[f] * k
  if (p.tiers) out.tiers = p.tiers.map(t => scaled(t, k))
  if (p.serviceTiers) out.serviceTiers = Object.fromEntries(Object.entries(p.serviceTiers).map(([tier, t]) => [tier, scaled(t, k)]))
  return out as T
}

/**
 * Every price of `pricing` (long-context, service-tier and scheduled ones, and tool fees) times `k`;
 * cost.ts rounds each to whole pico-dollars per token. Geography multipliers stay as they are.
 */
export function scalePricing(pricing: Pricing, k: number): Pricing {
  if (k === 1) return pricing
  const { schedule, toolFees, ...rest } = scaled(pricing, k)
  return {
    ...rest,
    ...(schedule ? { schedule: schedule.map(s => scaled(s, k)) } : {}),
    ...(toolFees ? { toolFees: { ...toolFees, ...(toolFees.webSearch !== undefined ? { webSearch: toolFees.webSearch * k } : {}) } } : {}),
  }
}

/**
 * The prices `entry` is billed at, or undefined when it has none. `priceAs` follows one step only:
 * the model it names must have its own prices (or be free), so no chain or loop can form.
 */
export function effectivePricing(entry: ModelEntry, find: (id: string) => ModelEntry | undefined): Pricing | undefined {
  if (entry.free) return FREE
  if (entry.pricing) return entry.pricing
  if (!entry.priceAs) return undefined
  const base = find(entry.priceAs.model)
  if (!base || base === entry) return undefined
  const own = base.free ? FREE : base.pricing
  return own && scalePricing(own, entry.priceAs.multiplier)
}

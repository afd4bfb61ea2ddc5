// The prices a model is billed at, whatever their source: its own (scraped, seed, manual), another
// registry model's times a multiplier (`priceAs`), zero for a `free` model, or none: an unpriced
// model, which the gateway refuses unless UNPRICED_MODELS=allow, so that nothing is billed $0 by accident.
import type { ModelEntry, Pricing } from './schema'

const FREE: Pricing = { input: 0, output: 0 }

type PriceFields = { input: number, cachedInput?: number, cacheWrite?: number, cacheWrite1h?: number, output: number }

function scaled<T extends PriceFields>(p: T, k: number): T {
  const times = (v: number | undefined) => (v === undefined ? undefined : v * k)
  return { ...p, input: p.input * k, cachedInput: times(p.cachedInput), cacheWrite: times(p.cacheWrite), cacheWrite1h: times(p.cacheWrite1h), output: p.output * k }
}

/** Every price of `pricing` (tiers and scheduled ones too) times `k`; cost.ts rounds each to whole pico-dollars per token. */
export function scalePricing(pricing: Pricing, k: number): Pricing {
  if (k === 1) return pricing
  const { tiers, schedule, ...rest } = scaled(pricing, k)
  return {
    ...rest,
    ...(tiers ? { tiers: tiers.map(t => scaled(t, k)) } : {}),
    ...(schedule ? { schedule: schedule.map(s => ({ ...scaled(s, k), ...(s.tiers ? { tiers: s.tiers.map(t => scaled(t, k)) } : {}) })) } : {}),
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

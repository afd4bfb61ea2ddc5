// Field-by-field comparison of two price sets, e.g. `input`, `cachedInput`, `tiers[>200000].output`,
// `serviceTiers.flex.input`, `schedule[2027-01-01T00:00:00.000Z].serviceTiers.batch.output`.
import { type Pricing, SERVICE_TIERS, type TierPricing } from './schema'

export interface FieldChange {
  field: string
  from: number | null
  to: number | null
}

const TOKEN_FIELDS = ['input', 'cachedInput', 'cacheWrite', 'cacheWrite1h', 'audioInput', 'audioCachedInput', 'output', 'audioOutput'] as const
const LONG_CONTEXT_FIELDS = ['input', 'cachedInput', 'cacheWrite', 'output'] as const

function flattenTier(p: TierPricing | undefined, prefix: string, out: Map<string, number>): void {
  if (!p) return
  for (const field of TOKEN_FIELDS) {
    if (p[field] !== undefined) out.set(`${prefix}${field}`, p[field]!)
  }
  for (const tier of p.tiers ?? []) {
    for (const field of LONG_CONTEXT_FIELDS) {
      if (tier[field] !== undefined) out.set(`${prefix}tiers[>${tier.aboveTokens}].${field}`, tier[field]!)
    }
  }
}

function flatten(p: Omit<Pricing, 'schedule'> | undefined, prefix = '', out = new Map<string, number>()): Map<string, number> {
  if (!p) return out
  flattenTier(p, prefix, out)
  for (const tier of SERVICE_TIERS) flattenTier(p.serviceTiers?.[tier], `${prefix}serviceTiers.${tier}.`, out)
  return out
}

/** Every price, scheduled ones as `schedule[2027-01-01T00:00:00.000Z].input`, tool fees and geography multipliers too. */
export function flattenPricing(p: Pricing | undefined): Map<string, number> {
  const out = flatten(p)
  if (p?.toolFees?.webSearch !== undefined) out.set('toolFees.webSearch', p.toolFees.webSearch)
  for (const [geo, m] of Object.entries(p?.geoMultipliers ?? {})) out.set(`geoMultipliers.${geo}`, m)
  for (const entry of p?.schedule ?? []) flatten(entry, `schedule[${entry.from}].`, out)
  return out
}

export function diffPricing(before: Pricing | undefined, after: Pricing | undefined): FieldChange[] {
  const a = flattenPricing(before)
  const b = flattenPricing(after)
  const changes: FieldChange[] = []
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const from = a.get(field) ?? null
    const to = b.get(field) ?? null
    if (from !== to) changes.push({ field, from, to })
  }
  return changes
}

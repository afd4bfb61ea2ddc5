// Field-by-field comparison of two price sets, e.g. `input`, `cachedInput`, `tiers[>200000].output`,
// `schedule[2027-01-01T00:00:00.000Z].input`.
import type { Pricing } from './schema'

export interface FieldChange {
  field: string
  from: number | null
  to: number | null
}

function flatten(p: Omit<Pricing, 'schedule'> | undefined, prefix = '', out = new Map<string, number>()): Map<string, number> {
  if (!p) return out
  for (const field of ['input', 'cachedInput', 'cacheWrite', 'cacheWrite1h', 'output'] as const) {
    if (p[field] !== undefined) out.set(`${prefix}${field}`, p[field]!)
  }
  for (const tier of p.tiers ?? []) {
    for (const field of ['input', 'cachedInput', 'cacheWrite', 'output'] as const) {
      if (tier[field] !== undefined) out.set(`${prefix}tiers[>${tier.aboveTokens}].${field}`, tier[field]!)
    }
  }
  return out
}

/** Every price, scheduled ones as `schedule[2027-01-01T00:00:00.000Z].input`. */
function flattenAll(p: Pricing | undefined): Map<string, number> {
  const out = flatten(p)
  for (const entry of p?.schedule ?? []) flatten(entry, `schedule[${entry.from}].`, out)
  return out
}

export function diffPricing(before: Pricing | undefined, after: Pricing | undefined): FieldChange[] {
  const a = flattenAll(before)
  const b = flattenAll(after)
  const changes: FieldChange[] = []
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const from = a.get(field) ?? null
    const to = b.get(field) ?? null
    if (from !== to) changes.push({ field, from, to })
  }
  return changes
}

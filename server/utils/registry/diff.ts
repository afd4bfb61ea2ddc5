// Field-by-field comparison of two price sets, e.g. `input`, `cachedInput`, `tiers[>200000].output`.
import type { Pricing } from './schema'

export interface FieldChange {
  field: string
  from: number | null
  to: number | null
}

function flatten(p: Pricing | undefined): Map<string, number> {
  const out = new Map<string, number>()
  if (!p) return out
  for (const field of ['input', 'cachedInput', 'cacheWrite', 'cacheWrite1h', 'output'] as const) {
    if (p[field] !== undefined) out.set(field, p[field]!)
  }
  for (const tier of p.tiers ?? []) {
    for (const field of ['input', 'cachedInput', 'cacheWrite', 'output'] as const) {
      if (tier[field] !== undefined) out.set(`tiers[>${tier.aboveTokens}].${field}`, tier[field]!)
    }
  }
  return out
}

export function diffPricing(before: Pricing | undefined, after: Pricing | undefined): FieldChange[] {
  const a = flatten(before)
  const b = flatten(after)
  const changes: FieldChange[] = []
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const from = a.get(field) ?? null
    const to = b.get(field) ?? null
    if (from !== to) changes.push({ field, from, to })
  }
  return changes
}

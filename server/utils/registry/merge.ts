// Applies one provider's freshly parsed prices to the registry's models (pure). Models missing from
// the page are never deleted, only marked not seen; a manual price stays in force, and the scraped
// one is kept beside it for when the override is cleared.
import { diffPricing } from './diff'
import type { ModelEntry, ParsedModel, ProviderId } from './schema'

export interface PriceChange {
  id: string
  /** The connection whose model it is. */
  provider: string
  field: string
  from: number | string | null
  to: number | string | null
  /** The change is to the scraped price of a model whose manual price stays in force. */
  overridden?: boolean
}

export interface ProviderMerge {
  models: ModelEntry[]
  changed: PriceChange[]
  added: string[]
  notSeen: string[]
  unchanged: number
}

/** Context windows and output limits for models a scrape adds, keyed by model id. */
export type ModelLimits = Record<string, { contextWindow?: number, maxOutputTokens?: number }>

export function mergeProvider(models: ModelEntry[], provider: ProviderId, parsed: ParsedModel[], now: string, limits: ModelLimits = {}): ProviderMerge {
  const result: ProviderMerge = { models: [], changed: [], added: [], notSeen: [], unchanged: 0 }
  const byName = new Map<string, ParsedModel>()
  for (const p of parsed) byName.set(p.id, p)
  const matched = new Set<string>()

  for (const m of models) {
    if (m.provider !== provider) {
      result.models.push(m)
      continue
    }
    const p = byName.get(m.id) ?? m.aliases.map(a => byName.get(a)).find(Boolean)
    if (!p) {
      if (!m.notSeenSince) result.notSeen.push(m.id)
      result.models.push(m.notSeenSince ? m : { ...m, notSeenSince: now })
      continue
    }
    matched.add(p.id)
    const next: ModelEntry = { ...m, notSeenSince: undefined }
    const manual = m.source === 'manual'
    const priceChanges = diffPricing(manual ? m.scrapedPricing : m.pricing, p.pricing)
    for (const c of priceChanges) result.changed.push({ id: m.id, provider, ...c, ...(manual ? { overridden: true } : {}) })
    if (priceChanges.length) {
      if (manual) next.scrapedPricing = p.pricing
      else Object.assign(next, { pricing: p.pricing, source: 'scraped' as const })
      next.updatedAt = now
    }
    if (p.status && p.status !== m.status) {
      result.changed.push({ id: m.id, provider, field: 'status', from: m.status, to: p.status })
      next.status = p.status
      next.updatedAt = now
    }
    if (p.displayName && !m.displayName) next.displayName = p.displayName
    if (next.updatedAt === m.updatedAt && !m.notSeenSince) result.unchanged++
    result.models.push(stripUndefined(next))
  }

  for (const p of parsed) {
    if (matched.has(p.id)) continue
    result.added.push(p.id)
    result.models.push(stripUndefined({
      id: p.id,
      provider,
      mode: p.mode,
      displayName: p.displayName,
      pricing: p.pricing,
      contextWindow: limits[p.id]?.contextWindow,
      maxOutputTokens: limits[p.id]?.maxOutputTokens,
      aliases: [],
      status: p.status ?? 'active',
      source: 'scraped',
      updatedAt: now,
    }))
  }
  return result
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

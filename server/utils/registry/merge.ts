// Applies one provider's freshly parsed prices to the registry's models (pure). Models missing from
// the page are never deleted, only marked not seen; a manual price stays in force, and the scraped
// one is kept beside it for when the override is cleared.
import { withFamilyCapabilities } from './capabilities'
import { diffPricing } from './diff'
import type { ModelCapabilities, ModelEntry, ParsedModel, ProviderId } from './schema'

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

/**
 * Context windows, output limits and capabilities known for models, keyed by model id (the maintained
 * data, and a provider's model list). They fill what a model's entry lacks, for a model a scrape adds
 * and for one already there; a value the entry has is kept, scrape after scrape.
 */
export type ModelLimits = Record<string, { contextWindow?: number, maxOutputTokens?: number, capabilities?: ModelCapabilities }>

function withKnownLimits(m: ModelEntry, known: ModelLimits[string] | undefined): ModelEntry {
  if (!known) return m
  return {
    ...m,
    contextWindow: m.contextWindow ?? known.contextWindow,
    maxOutputTokens: m.maxOutputTokens ?? known.maxOutputTokens,
    capabilities: known.capabilities ? { ...known.capabilities, ...m.capabilities } : m.capabilities,
  }
}

/** A chat model's capabilities with the reasoning and sampling keys filled from its family where missing. */
function withFamily(provider: ProviderId, m: ModelEntry): ModelEntry {
  return m.mode === 'chat' ? { ...m, capabilities: withFamilyCapabilities(provider, m.id, m.capabilities) } : m
}

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
    // Known limits fill what the entry lacks, then the family rules fill a missing reasoning or sampling key.
    const next: ModelEntry = { ...withFamily(provider, withKnownLimits(m, limits[m.id])), notSeenSince: undefined }
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
    result.models.push(stripUndefined(withFamily(provider, {
      id: p.id,
      provider,
      mode: p.mode,
      displayName: p.displayName,
      pricing: p.pricing,
      contextWindow: limits[p.id]?.contextWindow,
      maxOutputTokens: limits[p.id]?.maxOutputTokens,
      capabilities: limits[p.id]?.capabilities,
      aliases: [],
      status: p.status ?? 'active',
      source: 'scraped',
      updatedAt: now,
    })))
  }
  return result
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

// Manual price overrides: an admin's price wins over scraped ones until cleared; the scraped price is
// kept beside it and comes back when the override is cleared.
import { recordPriceChanges } from './price-history'
import { diffPricing } from './diff'
import { type ModelEntry, Pricing, Registry } from './schema'
import { changeRegistry, saveRegistry } from './store'

export function setManualPricing(id: string, pricing: Pricing | null): Promise<ModelEntry | undefined> {
  return changeRegistry(current => applyOverride(current, id, pricing))
}

async function applyOverride(current: Registry, id: string, pricing: Pricing | null): Promise<ModelEntry | undefined> {
  const entry = current.models.find(m => m.id === id)
  if (!entry) return undefined
  let next: ModelEntry
  if (pricing) {
    next = { ...entry, pricing, source: 'manual', scrapedPricing: entry.source === 'manual' ? entry.scrapedPricing : entry.pricing, updatedAt: new Date().toISOString() }
  }
  else {
    if (entry.source !== 'manual') return entry
    const { scrapedPricing, ...rest } = entry
    // A connection's model has no scraped price to return to: it becomes unpriced again.
    next = { ...rest, pricing: scrapedPricing, source: scrapedPricing ? 'scraped' : 'discovered', updatedAt: new Date().toISOString() }
  }
  const registry = Registry.parse({ ...current, version: current.version + 1, updatedAt: next.updatedAt, models: current.models.map(m => (m === entry ? next : m)) })
  await saveRegistry(registry, { backupCurrent: true })
  await recordPriceChanges(diffPricing(entry.pricing, next.pricing).map(c => ({ id, provider: entry.provider, ...c })), 'manual')
  return next
}

// Registry entries of the models a connection serves, named `connection/model`: those its model list
// shows (discovery) and those an admin prices. Their price source is their own price (manual),
// another model's (`priceAs`), `free`, or none yet (unpriced).
import { recordPriceChanges } from './price-history'
import { diffPricing } from './diff'
import { type ModelEntry, type PriceAs, type Pricing, Registry } from './schema'
import { changeRegistry, saveRegistry } from './store'

export interface DiscoveredModel {
  id: string
  mode: ModelEntry['mode']
}

/** What an admin sets for a connection's model: exactly one price source. */
export type ConnectionPrice = { pricing: Pricing } | { priceAs: PriceAs } | { free: true }

const entryId = (connection: string, model: string) => `${connection}/${model}`

function saved(current: Registry, models: ModelEntry[], now: string): Registry {
  return Registry.parse({ ...current, version: current.version + 1, updatedAt: now, models })
}

/** Adds the models a connection's list showed that the registry does not have yet. */
export function addDiscoveredModels(connection: string, found: DiscoveredModel[]): Promise<{ added: string[], known: string[] }> {
  return changeRegistry(async (current) => {
    const now = new Date().toISOString()
    const have = new Set(current.models.map(m => m.id))
    const added: string[] = []
    const known: string[] = []
    const models = [...current.models]
    for (const m of found) {
      const id = entryId(connection, m.id)
      if (have.has(id)) {
        known.push(id)
        continue
      }
      have.add(id)
      added.push(id)
      models.push({ id, provider: connection, mode: m.mode, aliases: [], status: 'active', source: 'discovered', updatedAt: now })
    }
    if (added.length) await saveRegistry(saved(current, models, now), { backupCurrent: false })
    return { added, known }
  })
}

/** Sets a connection's model's price source, creating its entry when discovery has not. */
export function setConnectionPrice(connection: string, model: string, price: ConnectionPrice, mode: ModelEntry['mode'] | undefined): Promise<ModelEntry> {
  return changeRegistry(async (current) => {
    const now = new Date().toISOString()
    const id = entryId(connection, model)
    const before = current.models.find(m => m.id === id)
    const { pricing: _p, priceAs: _a, free: _f, ...rest } = before ?? { id, provider: connection, mode: mode ?? 'chat', aliases: [], status: 'active' as const }
    const next: ModelEntry = { ...rest, ...(mode ? { mode } : {}), ...price, source: 'manual', updatedAt: now }
    const models = before ? current.models.map(m => (m === before ? next : m)) : [...current.models, next]
    await saveRegistry(saved(current, models, now), { backupCurrent: true })
    await recordPriceChanges(diffPricing(before?.pricing, next.pricing).map(c => ({ id, provider: connection, ...c })), 'manual')
    return next
  })
}

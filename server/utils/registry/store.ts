// The registry in unstorage (mount "registry": models.json and models.json.bak), and the in-memory
// index the hot path reads. First start seeds it from the shipped data/models.json.
import { createStorage, type Storage } from 'unstorage'
import seed from '../../../data/models.json'
import { config } from '../core/config'
import { broadcast } from '../shared/broadcast'
import { redisStorageDriver } from '../shared/redis'
import { withLock } from '../shared/lock'
import { atomicFsDriver } from './atomic-fs-driver'
import { type ModelEntry, Registry } from './schema'

export const REGISTRY_KEY = 'models.json'
export const REGISTRY_BACKUP_KEY = 'models.json.bak'

interface LoadedRegistry {
  registry: Registry
  /** Model ids and aliases → entry. */
  index: Map<string, ModelEntry>
}

let storage: Storage | undefined
let loaded: LoadedRegistry | undefined

/** The "registry" mount: files in DATA_DIR/registry, or Redis (shared by every instance) with REDIS_URL. */
export function registryStorage(): Storage {
  const { redisUrl, redisPrefix, registryDir } = config()
  storage ??= createStorage({
    driver: redisUrl ? redisStorageDriver(redisUrl, `${redisPrefix}registry`) : atomicFsDriver({ base: registryDir }),
  })
  return storage
}

function indexOf(registry: Registry): LoadedRegistry {
  const index = new Map<string, ModelEntry>()
  for (const m of registry.models) {
    for (const alias of m.aliases) if (!index.has(alias)) index.set(alias, m)
  }
  // Ids win over aliases.
  for (const m of registry.models) index.set(m.id, m)
  return { registry, index }
}

export async function readStored(key: string): Promise<Registry | undefined> {
  const raw = await registryStorage().getItem(key)
  if (raw === null || raw === undefined) return undefined
  return Registry.parse(typeof raw === 'string' ? JSON.parse(raw) : raw)
}

/** Loads the stored registry (seeding it on first start) and makes it the one the gateway prices with. */
export async function loadRegistry(): Promise<Registry> {
  let registry = await readStored(REGISTRY_KEY)
  if (!registry) {
    registry = Registry.parse(seed)
    await registryStorage().setItem(REGISTRY_KEY, JSON.stringify(registry, null, 2))
  }
  loaded = indexOf(registry)
  return registry
}

export function currentRegistry(): Registry | undefined {
  return loaded?.registry
}

/** The registry versions kept: the one in force and the rollback target (models.json.bak), if any. */
export async function keptRegistryVersions(): Promise<{ current: Registry, backup?: Registry }> {
  const current = currentRegistry() ?? await loadRegistry()
  return { current, backup: await readStored(REGISTRY_BACKUP_KEY) }
}

export function findModel(idOrAlias: string): ModelEntry | undefined {
  return loaded?.index.get(idOrAlias)
}

/** Replaces the live registry (after an update or rollback has stored it). */
export function useRegistry(registry: Registry): void {
  loaded = indexOf(registry)
}

/** Stores a new registry (keeping the current one as models.json.bak when asked) and puts it in force. */
export async function saveRegistry(next: Registry, opts: { backupCurrent: boolean }): Promise<void> {
  const store = registryStorage()
  if (opts.backupCurrent) {
    const current = await store.getItemRaw(REGISTRY_KEY)
    if (current !== null && current !== undefined) await store.setItemRaw(REGISTRY_BACKUP_KEY, current)
  }
  await store.setItem(REGISTRY_KEY, JSON.stringify(next, null, 2))
  useRegistry(next)
  broadcast('registry')
}

/**
 * Runs a read-modify-write of the registry under a lock (across instances too), starting from the
 * registry as stored now rather than this instance's copy, which another instance may have replaced.
 */
export function changeRegistry<T>(fn: (current: Registry) => Promise<T>): Promise<T> {
  return withLock('registry', async () => {
    const current = await readStored(REGISTRY_KEY) ?? currentRegistry() ?? await loadRegistry()
    return fn(current)
  })
}

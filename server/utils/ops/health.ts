// Readiness checks: the database answers, the registry is loaded, and the instance is not draining.
import { existsSync } from 'node:fs'
import { config } from '../core/config'
import { database } from '../db'
import { openCircuits } from '../gateway/circuit'
import { currentRegistry } from '../registry/store'
import { isDraining } from './drain'

export interface Check {
  ok: boolean
  detail?: string
}

const DB_TIMEOUT_MS = 2000

export async function databaseCheck(): Promise<Check> {
  try {
    const { db, dialect } = await database()
    // SQLite keeps answering from an open file that was deleted (a lost volume): check the path too.
    if (dialect.name === 'sqlite' && !existsSync(config().databasePath)) return { ok: false, detail: 'database file is missing' }
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        db.prepare('SELECT 1 AS ok').get(),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), DB_TIMEOUT_MS).unref() }),
      ])
    }
    finally {
      // Cleared at once, so a busy health probe does not keep a timer (and its promise) per call alive.
      clearTimeout(timer)
    }
    return { ok: true }
  }
  catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : 'unavailable' }
  }
}

export async function readiness(): Promise<{ ok: boolean, checks: Record<string, Check>, circuits: ReturnType<typeof openCircuits> }> {
  const registry = currentRegistry()
  const checks: Record<string, Check> = {
    database: await databaseCheck(),
    registry: registry ? { ok: true, detail: `${registry.models.length} models` } : { ok: false, detail: 'not loaded' },
    draining: { ok: !isDraining(), ...(isDraining() ? { detail: 'shutting down' } : {}) },
  }
  // Open circuits are reported, not failed on: the instance itself can still serve other targets.
  return { ok: Object.values(checks).every(c => c.ok), checks, circuits: openCircuits() }
}

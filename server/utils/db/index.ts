// The database handle. db0's connector is made here at run time (Nitro's own database option is fixed
// at build time): SQLite in DATA_DIR by default, PostgreSQL (pooled) when DATABASE_URL is set.
import { createDatabase, type Database } from 'db0'
import sqliteConnector from 'db0/connectors/better-sqlite3'
import { config } from '../core/config'
import { type Dialect, dialects } from './dialect'
import { migrations } from './migrations'
import { startCheckpointer } from './checkpointer'
import { createPgPool } from './postgres'

export interface Db {
  db: Database
  dialect: Dialect
  /** Runs `fn` inside one transaction; every write goes through here. */
  transaction<T>(fn: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

let current: Promise<Db> | undefined

export function database(): Promise<Db> {
  current ??= open().catch((error) => {
    current = undefined
    throw error
  })
  return current
}

async function open(): Promise<Db> {
  const url = config().databaseUrl
  if (!url) return openSqlite()
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL')
  const pool = createPgPool(url)
  const handle: Db = {
    db: createDatabase(pool.connector),
    dialect: dialects.postgresql,
    transaction: pool.transaction,
    async close() {
      await pool.end()
      current = undefined
    },
  }
  await pool.withMigrationLock(() => migrate(handle))
  return handle
}

async function openSqlite(): Promise<Db> {
  const db = createDatabase(sqliteConnector({ path: config().databasePath }))
  // WAL lets readers run beside the single writer; NORMAL sync is durable across process crashes.
  await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;')
  // Checkpoints move to a worker thread; if it cannot start, SQLite keeps checkpointing itself.
  const checkpointer = await startCheckpointer(config().databasePath).catch((error) => {
    console.warn('[db] WAL checkpoints stay on the main thread:', error instanceof Error ? error.message : error)
    return undefined
  })
  if (checkpointer) await db.exec('PRAGMA wal_autocheckpoint = 0')
  // One connection: transactions are queued so that their statements never interleave.
  let queue: Promise<unknown> = Promise.resolve()
  const handle: Db = {
    db,
    dialect: dialects.sqlite,
    transaction<T>(fn: () => Promise<T>) {
      const run = queue.then(async () => {
        await db.exec('BEGIN')
        try {
          const result = await fn()
          await db.exec('COMMIT')
          return result
        }
        catch (error) {
          await db.exec('ROLLBACK')
          throw error
        }
      })
      queue = run.catch(() => {})
      return run
    },
    async close() {
      await queue
      await checkpointer?.stop()
      await db.dispose()
      current = undefined
    },
  }
  await migrate(handle)
  return handle
}

/** Applies the migrations not yet recorded in schema_migrations, each in its own transaction. */
export async function migrate(handle: Db): Promise<number[]> {
  const { db, dialect } = handle
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ${dialect.bigint} NOT NULL)`)
  const rows = await db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]
  const applied = new Set(rows.map(r => Number(r.version)))
  const done: number[] = []
  for (const m of migrations) {
    if (applied.has(m.version)) continue
    await handle.transaction(async () => {
      for (const statement of m.statements(dialect)) await db.exec(statement)
      await db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now())
    })
    done.push(m.version)
  }
  return done
}

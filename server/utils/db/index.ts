// The database handle. db0's connector is made here at run time (Nitro's own database option is fixed
// at build time): SQLite in DATA_DIR by default, PostgreSQL (pooled) when DATABASE_URL is set.
import { consola } from 'consola'
import { createDatabase, type Database } from 'db0'
import sqliteConnector from 'db0/connectors/better-sqlite3'
import { config } from '../core/config'
import { errorMessage } from '../core/error-message'
import { type Dialect, dialects, type SqlRow } from './dialect'
import { migrations } from './migrations'
import { createPgPool } from './postgres'
import { type SqliteWriter, startSqliteWriter } from './sqlite-writer'

export interface Db {
  db: Database
  dialect: Dialect
  /** Runs `fn` inside one transaction; every write goes through here. */
  transaction<T>(fn: () => Promise<T>): Promise<T>
  /** SQLite with its writer thread running: runs each list of rows through its statement there, in one transaction; resolves once committed. */
  writeRows?(statements: string[], lists: SqlRow[][]): Promise<void>
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
  const pool = await createPgPool(url)
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

const BUSY_TIMEOUT_MS = 5000

async function openSqlite(): Promise<Db> {
  const path = config().databasePath
  const db = createDatabase(sqliteConnector({ path }))
  // WAL lets readers run beside the single writer; NORMAL sync is durable across process crashes.
  await db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON;`)
  let writer: SqliteWriter | undefined
  // One connection: transactions are queued so that their statements never interleave. IMMEDIATE
  // because the writer thread's connection writes too: a deferred transaction that read before it
  // wrote would fail (SQLITE_BUSY_SNAPSHOT) if the writer committed in between, instead of waiting.
  let queue: Promise<unknown> = Promise.resolve()
  const handle: Db = {
    db,
    dialect: dialects.sqlite,
    transaction<T>(fn: () => Promise<T>) {
      const run = queue.then(async () => {
        await db.exec('BEGIN IMMEDIATE')
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
      await writer?.stop()
      await db.dispose()
      current = undefined
    },
  }
  // Before the writer starts: the statements it is given write to tables the migrations create.
  await migrate(handle)
  writer = await startWriter(handle, path)
  return handle
}

/** SQLite's default: the main connection checkpoints itself again if the writer thread stops. */
const AUTOCHECKPOINT_PAGES = 1000

/** Moves WAL checkpoints and request log writes to the writer thread; without it both stay on the main connection. */
async function startWriter(handle: Db, path: string): Promise<SqliteWriter | undefined> {
  const writer = await startSqliteWriter({
    path,
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    onCrash(error) {
      consola.error('[db] the SQLite writer thread stopped; WAL checkpoints and request log writes are back on the main thread:', error.message)
      handle.writeRows = undefined
      handle.db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`).catch(() => {})
    },
  }).catch((error) => {
    consola.warn('[db] WAL checkpoints and request log writes stay on the main thread:', errorMessage(error))
    return undefined
  })
  if (!writer) return undefined
  await handle.db.exec('PRAGMA wal_autocheckpoint = 0')
  handle.writeRows = writer.write
  return writer
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

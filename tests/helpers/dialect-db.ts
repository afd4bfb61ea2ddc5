// A database of either dialect for tests of the SQL itself: SQLite in memory, or a fresh PostgreSQL
// database on this machine's server, with the migrations applied (up to a version, when given).
import { createDatabase, type Database } from 'db0'
import postgresqlConnector from 'db0/connectors/postgresql'
import sqliteConnector from 'db0/connectors/better-sqlite3'
import { type DialectName, dialects } from '../../server/utils/db/dialect'
import { migrations } from '../../server/utils/db/migrations'
import { createTestDatabase } from './services'

export interface DialectDatabase {
  db: Database
  close: () => Promise<void>
}

/** `before`: apply only the migrations older than that version. */
export async function openDialectDatabase(dialect: DialectName, before = Number.POSITIVE_INFINITY): Promise<DialectDatabase> {
  const pg = dialect === 'postgresql' ? await createTestDatabase() : undefined
  const db = createDatabase(pg ? postgresqlConnector({ url: pg.url }) : sqliteConnector({ name: ':memory:' }))
  for (const m of migrations.filter(m => m.version < before)) for (const statement of m.statements(dialects[dialect])) await db.exec(statement)
  return {
    db,
    close: async () => {
      await db.dispose()
      await pg?.drop()
    },
  }
}

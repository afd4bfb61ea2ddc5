// PostgreSQL for db0 with a connection pool. db0's connector holds a single pg client; it is given a
// facade instead whose queries go to a pg.Pool, or to the client of the transaction in progress
// (found through AsyncLocalStorage, so statements inside `transaction(fn)` share one connection).
// pg and db0's connector are imported when DATABASE_URL asks for them: a gateway on SQLite never loads them.
import { AsyncLocalStorage } from 'node:async_hooks'
import type pg from 'pg'
import type postgresqlConnector from 'db0/connectors/postgresql'
import { consola } from 'consola'
import { config } from '../core/config'

const MIGRATION_LOCK = 'llm-gateway:migrations'

export interface PgPool {
  connector: ReturnType<typeof postgresqlConnector>
  /** Runs `fn` in one transaction on one pooled connection. */
  transaction<T>(fn: () => Promise<T>): Promise<T>
  /** Runs `fn` holding a cluster-wide advisory lock, so instances starting together migrate once. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>
  end(): Promise<void>
}

export async function createPgPool(url: string): Promise<PgPool> {
  const [{ default: pgDriver }, { default: postgresqlConnector }] = await Promise.all([import('pg'), import('db0/connectors/postgresql')])
  const pool = new pgDriver.Pool({ connectionString: url, max: config().databasePoolMax })
  // An idle pooled connection that the server ends (restart, failover, terminated backend) must not
  // take the process down: the pool drops it and the next query opens a new one.
  pool.on('error', error => consola.warn('[db] an idle PostgreSQL connection was lost:', error.message))
  const inTransaction = new AsyncLocalStorage<pg.PoolClient>()
  const facade = {
    connect: async () => {},
    query: (text: string, params?: unknown[]) => (inTransaction.getStore() ?? pool).query(text, params),
    end: () => pool.end(),
  }
  // db0 calls `new lib.Client(config)`: a constructor that returns the facade.
  const connector = postgresqlConnector({ url, lib: { Client: function Client() { return facade } } as never })

  async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect()
    try {
      return await fn(client)
    }
    finally {
      client.release()
    }
  }

  return {
    connector,
    transaction: fn => withClient(async (client) => {
      await client.query('BEGIN')
      try {
        const result = await inTransaction.run(client, fn)
        await client.query('COMMIT')
        return result
      }
      catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
    }),
    withMigrationLock: fn => withClient(async (client) => {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK])
      try {
        return await fn()
      }
      finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK])
      }
    }),
    end: () => pool.end(),
  }
}

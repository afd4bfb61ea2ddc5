// This machine's PostgreSQL and Redis for the scale-out tests: each test gets its own database and
// its own Redis key prefix, and removes them afterwards.
import { randomBytes } from 'node:crypto'
import Redis from 'ioredis'
import pg from 'pg'

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0'

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await client.connect()
  try {
    return await fn(client)
  }
  finally {
    await client.end()
  }
}

export async function servicesAvailable(): Promise<string | undefined> {
  try {
    await withAdmin(c => c.query('SELECT 1'))
  }
  catch (error) {
    return `PostgreSQL at ${POSTGRES_ADMIN_URL} is not reachable (${(error as Error).message})`
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 })
  try {
    await redis.connect()
    await redis.ping()
  }
  catch (error) {
    return `Redis at ${REDIS_URL} is not reachable (${(error as Error).message})`
  }
  finally {
    redis.disconnect()
  }
  return undefined
}

export interface TestDatabase {
  url: string
  drop: () => Promise<void>
  /** Ends every connection to the database from the server side, as a restart or failover would. */
  terminateConnections: () => Promise<void>
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `gw_test_${randomBytes(6).toString('hex')}`
  await withAdmin(c => c.query(`CREATE DATABASE ${name}`))
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => withAdmin(c => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
    terminateConnections: () => withAdmin(c => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name])).then(() => {}),
  }
}

export function testRedisPrefix(): { prefix: string, cleanup: () => Promise<void> } {
  const prefix = `gwtest:${randomBytes(6).toString('hex')}:`
  return {
    prefix,
    async cleanup() {
      const redis = new Redis(REDIS_URL)
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
        cursor = next
        if (keys.length) await redis.del(...keys)
      } while (cursor !== '0')
      redis.disconnect()
    },
  }
}

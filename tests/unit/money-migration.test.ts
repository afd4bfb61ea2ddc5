// Migration money_in_nano_usd on both databases: the dollar columns of earlier versions (REAL, DOUBLE PRECISION)
// become integer nano-dollars holding the same amounts, rounded to the nearest nano-dollar, and the
// old columns are gone.
import type { Database } from 'db0'
import { describe, expect, it } from 'vitest'
import { type DialectName, dialects } from '../../server/utils/db/dialect'
import { migrations } from '../../server/utils/db/migrations'
import { openDialectDatabase } from '../helpers/dialect-db'
import { servicesAvailable } from '../helpers/services'

const pgMissing = await servicesAvailable()
if (pgMissing) console.warn(`[money-migration] PostgreSQL leg skipped: ${pgMissing}`)

const MONEY = migrations.find(m => m.name === 'money_in_nano_usd')!

describe.each<DialectName>(['sqlite', 'postgresql'])('money in nano-dollars on %s', (dialect) => {
  it.skipIf(dialect === 'postgresql' && Boolean(pgMissing))('converts costs, rollups, spend and budgets without losing an amount', async () => {
    const { db, close } = await openDialectDatabase(dialect, MONEY.version)
    try {
      await convert(db, dialect)
    }
    finally {
      await close()
    }
  })
})

/** Fills the dollar columns as an earlier version left them, runs the migration and reads the integers. */
async function convert(db: Database, dialect: DialectName) {
  const key = db.prepare('INSERT INTO gateway_keys (id, name, key_hash, key_hint, budget_usd, spent_usd, created_at) VALUES (?, ?, ?, ?, ?, ?, 0)')
  await key.run('key_a', 'a', 'h-a', 'sk-gw-…a', 25, 0.1 + 0.2)
  await key.run('key_b', 'b', 'h-b', 'sk-gw-…b', null, 12.3456789014)
  const request = db.prepare(`INSERT INTO request_log (id, created_at, key_id, endpoint, stream, status, cost_usd, latency_ms) VALUES (?, 0, 'key_a', 'chat', 0, 200, ?, 1)`)
  await request.run('r1', 0.000_123_456_7)
  await request.run('r2', 0)
  await db.prepare(`INSERT INTO usage_daily (day, key_id, provider, model, cost_usd) VALUES ('2026-11-26', 'key_a', 'openai', 'gpt-4o', ?)`).run(1234.567_890_123_4)

  for (const statement of MONEY.statements(dialects[dialect])) await db.exec(statement)

  const rows = async (sql: string) => (await db.prepare(sql).all() as Record<string, unknown>[]).map(r => Object.values(r).map(v => (v === null ? null : Number(v))))
  expect(await rows('SELECT budget_nano_usd, spent_nano_usd FROM gateway_keys ORDER BY id')).toEqual([[25_000_000_000, 300_000_000], [null, 12_345_678_901]])
  expect(await rows('SELECT cost_nano_usd FROM request_log ORDER BY id')).toEqual([[123_457], [0]])
  expect(await rows('SELECT cost_nano_usd FROM usage_daily')).toEqual([[1_234_567_890_123]])
  // Integer columns: adding to them stays exact.
  await db.exec('UPDATE gateway_keys SET spent_nano_usd = spent_nano_usd + 1')
  expect(await rows('SELECT spent_nano_usd FROM gateway_keys ORDER BY id')).toEqual([[300_000_001], [12_345_678_902]])
  await expect(db.prepare('SELECT spent_usd FROM gateway_keys').all()).rejects.toThrow()
  await expect(db.prepare('SELECT cost_usd FROM request_log').all()).rejects.toThrow()
}

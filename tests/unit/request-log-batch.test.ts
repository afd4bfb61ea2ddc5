// One write of the request log as rows: a row a request, rollups per UTC day, key, provider and
// model, spend per key. Then its statements run on both databases (the schema from the migrations):
// one row at a time as SQLite's writer thread runs them, and multi-row as PostgreSQL does.
import type { Database } from 'db0'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DialectName } from '../../server/utils/db/dialect'
import type { RequestRecord } from '../../server/utils/store/request-record'
import { ADD_SPEND_SQL, insertRequestsSql, REQUEST_LOG_STATEMENTS, requestLogBatch, upsertRollupsSql } from '../../server/utils/store/request-log-batch'
import type { SqlRow } from '../../server/utils/db/dialect'
import { type DialectDatabase, openDialectDatabase } from '../helpers/dialect-db'
import { servicesAvailable } from '../helpers/services'

const DAY = Date.UTC(2026, 10, 26)
const record = (id: string, over: Partial<RequestRecord> = {}): RequestRecord => ({
  id, createdAt: DAY + 3_600_000, keyId: 'key_a', endpoint: 'chat', provider: 'openai', model: 'gpt-4o-mini', requestedModel: 'openai/gpt-4o-mini', stream: false, status: 200, errorCode: null,
  promptTokens: 100, cachedTokens: 20, cacheWriteTokens: 5, cacheWrite1hTokens: 2, completionTokens: 10, reasoningTokens: 3, costNanoUsd: 250_000_000, estimated: false, unpriced: false, latencyMs: 50, ttftMs: null,
  costLines: [{ class: 'input', tokens: 75, usdPerMillion: 0.15 }], registryVersion: 3, serviceTier: null,
  ...over,
})

describe('requestLogBatch', () => {
  it('writes a request as its columns, booleans as 0 and 1', () => {
    const [requests] = requestLogBatch([record('r1'), record('r2', { stream: true, estimated: true, status: 499, errorCode: 'client_closed_request', ttftMs: 7, unpriced: true })])
    expect(requests).toEqual([
      ['r1', DAY + 3_600_000, 'key_a', 'chat', 'openai', 'gpt-4o-mini', 0, 200, null, 100, 20, 5, 10, 3, 250_000_000, 0, 50, null, 2, 'openai/gpt-4o-mini', 3, null, '[["input",75,0.15]]', 0],
      ['r2', DAY + 3_600_000, 'key_a', 'chat', 'openai', 'gpt-4o-mini', 1, 499, 'client_closed_request', 100, 20, 5, 10, 3, 250_000_000, 1, 50, 7, 2, 'openai/gpt-4o-mini', 3, null, '[["input",75,0.15]]', 1],
    ])
  })

  it('sums rollups per UTC day, key, provider and model, counting statuses from 400 as errors', () => {
    const [, rollups] = requestLogBatch([
      record('a1'),
      record('a2', { status: 429, promptTokens: 1, cachedTokens: 0, completionTokens: 0, costNanoUsd: 0 }),
      record('a3', { createdAt: DAY - 1, costNanoUsd: 1_000_000_000 }),
      record('a4', { createdAt: DAY + 86_399_999, model: 'gpt-4o', status: 399 }),
      record('a5', { keyId: 'key_b', status: 502 }),
      // Refused before a provider was chosen (a malformed body).
      record('a6', { provider: null, model: null, status: 400, promptTokens: 0, cachedTokens: 0, completionTokens: 0, costNanoUsd: 0 }),
    ])
    expect(rollups).toEqual([
      ['2026-11-26', 'key_a', 'openai', 'gpt-4o-mini', 2, 1, 101, 20, 10, 250_000_000],
      ['2026-11-25', 'key_a', 'openai', 'gpt-4o-mini', 1, 0, 100, 20, 10, 1_000_000_000],
      ['2026-11-26', 'key_a', 'openai', 'gpt-4o', 1, 0, 100, 20, 10, 250_000_000],
      ['2026-11-26', 'key_b', 'openai', 'gpt-4o-mini', 1, 1, 100, 20, 10, 250_000_000],
      ['2026-11-26', 'key_a', '', '', 1, 1, 0, 0, 0, 0],
    ])
  })

  it('adds each key\'s cost once, with the time of its latest request', () => {
    const [, , spend] = requestLogBatch([
      record('s1', { createdAt: DAY + 500, costNanoUsd: 500_000_000 }),
      record('s2', { keyId: 'key_b', createdAt: DAY + 100, costNanoUsd: 2_000_000_000 }),
      record('s3', { createdAt: DAY + 200, costNanoUsd: 125_000_001 }),
    ])
    expect(spend).toEqual([[625_000_001, DAY + 500, 'key_a'], [2_000_000_000, DAY + 100, 'key_b']])
  })

  it('has nothing to write for no records', () => {
    expect(requestLogBatch([])).toEqual([[], [], []])
  })

  it('builds multi-row statements with a placeholder a value', () => {
    const count = (sql: string) => sql.split('?').length - 1
    expect(count(insertRequestsSql(1))).toBe(24)
    expect(count(insertRequestsSql(100))).toBe(2400)
    expect(count(upsertRollupsSql(3))).toBe(30)
    expect(count(ADD_SPEND_SQL)).toBe(3)
    expect(REQUEST_LOG_STATEMENTS).toEqual([insertRequestsSql(1), upsertRollupsSql(1), ADD_SPEND_SQL])
  })
})

const pgMissing = await servicesAvailable()
if (pgMissing) console.warn(`[request-log-batch] PostgreSQL leg skipped: ${pgMissing}`)

describe.each<DialectName>(['sqlite', 'postgresql'])('the statements on %s', (dialect) => {
  const skip = dialect === 'postgresql' && Boolean(pgMissing)
  let db: Database
  let handle: DialectDatabase | undefined

  beforeAll(async () => {
    if (skip) return
    handle = await openDialectDatabase(dialect)
    db = handle.db
    for (const id of ['key_a', 'key_b']) {
      await db.prepare('INSERT INTO gateway_keys (id, name, key_hash, key_hint, spent_nano_usd, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, id, `hash-${id}`, 'sk-gw-…', 1_000_000_000, 0)
    }
  })
  afterAll(() => handle?.close())

  /** One statement a row, as the SQLite writer thread runs them. */
  async function writeRowByRow(records: RequestRecord[]) {
    const batch = requestLogBatch(records)
    for (const [i, rows] of batch.entries()) for (const row of rows) await db.prepare(REQUEST_LOG_STATEMENTS[i]!).run(...row)
  }
  /** One statement for all rows, as PostgreSQL (and SQLite without its writer thread) runs them. */
  async function writeMultiRow(records: RequestRecord[]) {
    const [requests, rollups, spend] = requestLogBatch(records)
    await db.prepare(insertRequestsSql(requests.length)).run(...requests.flat())
    await db.prepare(upsertRollupsSql(rollups.length)).run(...rollups.flat())
    for (const row of spend) await db.prepare(ADD_SPEND_SQL).run(...row)
  }
  /** Rows as value lists, with PostgreSQL's BIGINT strings as numbers. */
  const numbers = (rows: unknown[]): SqlRow[] =>
    rows.map(r => Object.values(r as Record<string, SqlRow[number]>).map(v => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)))

  it.skipIf(skip)('adds to the rollups and spend already there, one row or many rows a statement', async () => {
    await writeRowByRow([record('w1'), record('w2', { keyId: 'key_b', status: 500, costNanoUsd: 500_000_000, createdAt: DAY + 9000 })])
    await writeMultiRow([record('w3', { costNanoUsd: 125_000_001, createdAt: DAY + 7_200_000 }), record('w4', { model: 'gpt-4o', createdAt: DAY + 10 })])

    const rollups = await db.prepare('SELECT day, key_id, provider, model, requests, errors, prompt_tokens, cached_tokens, completion_tokens, cost_nano_usd FROM usage_daily ORDER BY key_id, model').all()
    expect(numbers(rollups)).toEqual([
      ['2026-11-26', 'key_a', 'openai', 'gpt-4o', 1, 0, 100, 20, 10, 250_000_000],
      ['2026-11-26', 'key_a', 'openai', 'gpt-4o-mini', 2, 0, 200, 40, 20, 375_000_001],
      ['2026-11-26', 'key_b', 'openai', 'gpt-4o-mini', 1, 1, 100, 20, 10, 500_000_000],
    ])
    const keys = await db.prepare('SELECT id, spent_nano_usd, last_used_at FROM gateway_keys ORDER BY id').all()
    expect(numbers(keys)).toEqual([['key_a', 1_625_000_001, DAY + 7_200_000], ['key_b', 1_500_000_000, DAY + 9000]])
  })

  it.skipIf(skip)('stores every column of a request, and a request id once', async () => {
    const r = record('once', { stream: true, estimated: true, errorCode: 'upstream_error', ttftMs: 12 })
    await writeMultiRow([r])
    await db.prepare(insertRequestsSql(1)).run(...requestLogBatch([r])[0][0]!)
    // Named columns: a migration that adds one puts it last in the table.
    const rows = await db.prepare(`SELECT id, created_at, key_id, endpoint, provider, model, stream, status, error_code, prompt_tokens, cached_tokens,
      cache_write_tokens, completion_tokens, reasoning_tokens, cost_nano_usd, estimated, latency_ms, ttft_ms, cache_write_1h_tokens, requested_model, registry_version, service_tier, cost_lines, unpriced FROM request_log WHERE id = ?`).all('once')
    expect(numbers(rows)).toEqual(requestLogBatch([r])[0])
  })
})

// The request log. Rows are buffered in memory and written in one transaction every FLUSH_MS (or
// sooner when many are waiting), together with the daily usage rollups and each key's spend, so the
// hot path never waits on the database. On SQLite the transaction runs on the writer thread (see
// db/sqlite-writer.ts), so not even its synchronous work is on the event loop. flushRequestLog()
// runs at shutdown and before admin reads.
import { consola } from 'consola'
import type { Primitive } from 'db0'
import { errorMessage } from '../core/error-message'
import { nanoToUsd } from '../core/money'
import { database } from '../db'
import type { BilledLine, RequestRecord } from './request-record'
import { ADD_SPEND_SQL, insertRequestsSql, REQUEST_LOG_STATEMENTS, requestLogBatch, upsertRollupsSql } from './request-log-batch'

const FLUSH_MS = 200
const FLUSH_AT_ROWS = 500
/** Rows a transaction at the most, after a backlog: keeps the message to the writer thread within its small heap. */
const MAX_BATCH_ROWS = 2000

let pending: RequestRecord[] = []
let timer: NodeJS.Timeout | undefined
let flushing: Promise<void> | undefined

/** A flush nobody awaits: a failure is logged (its rows stay buffered for the retry). */
function flushInBackground(): void {
  flushRequestLog().catch(error => consola.warn('[request-log] write failed; the rows are kept and retried:', errorMessage(error)))
}

export function recordRequest(rec: RequestRecord): void {
  pending.push(rec)
  if (pending.length >= FLUSH_AT_ROWS) flushInBackground()
  else timer ??= setTimeout(flushInBackground, FLUSH_MS).unref()
}

export function pendingRequestCount(): number {
  return pending.length
}

/** Writes every buffered row; resolves when they are committed. A failed batch is kept for the next try. */
export async function flushRequestLog(): Promise<void> {
  while (flushing) await flushing
  if (timer) clearTimeout(timer)
  timer = undefined
  if (!pending.length) return
  flushing = writePending().finally(() => { flushing = undefined })
  await flushing
}

/** Writes the rows buffered now (not those that come meanwhile), MAX_BATCH_ROWS a transaction. */
async function writePending(): Promise<void> {
  const records = pending
  pending = []
  for (let i = 0; i < records.length; i += MAX_BATCH_ROWS) {
    try {
      await writeBatch(records.slice(i, i + MAX_BATCH_ROWS))
    }
    catch (error) {
      // The failed batch and those after it go back in front of the rows recorded since.
      pending = records.slice(i).concat(pending)
      timer ??= setTimeout(flushInBackground, FLUSH_MS * 5).unref()
      throw error
    }
  }
}

async function writeBatch(records: RequestRecord[]): Promise<void> {
  const { db, transaction, writeRows } = await database()
  const batch = requestLogBatch(records)
  if (writeRows) return writeRows(REQUEST_LOG_STATEMENTS, batch)
  const [requests, rollups, spend] = batch
  await transaction(async () => {
    // Multi-row statements: one per chunk of rows rather than one per row.
    for (const rows of chunks(requests, ROWS_PER_STATEMENT)) await db.prepare(insertRequestsSql(rows.length)).run(...rows.flat())
    for (const rows of chunks(rollups, ROWS_PER_STATEMENT)) await db.prepare(upsertRollupsSql(rows.length)).run(...rows.flat())
    const addSpend = db.prepare(ADD_SPEND_SQL)
    for (const row of spend) await addSpend.run(...row)
  })
}

/** Rows per INSERT: 100 × 23 values stays far below SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_STATEMENT = 100

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}

export interface RequestQuery {
  limit: number
  cursor?: string
  keyId?: string
  model?: string
  /** `ok` (status below 400), `error` (400 and above) or one HTTP status. */
  status?: 'ok' | 'error' | number
  /** Epoch ms: rows created at or after `from` and before `to`. */
  from?: number
  to?: number
}

interface RequestRow {
  id: string
  created_at: number | string
  key_id: string
  endpoint: string
  provider: string | null
  model: string | null
  requested_model: string | null
  stream: number
  status: number
  error_code: string | null
  prompt_tokens: number | string
  cached_tokens: number | string
  cache_write_tokens: number | string
  cache_write_1h_tokens: number | string
  completion_tokens: number | string
  reasoning_tokens: number | string
  cost_nano_usd: number | string
  estimated: number
  unpriced: number
  latency_ms: number
  ttft_ms: number | null
  registry_version: number | string | null
  service_tier: string | null
  cost_lines: string | null
}

/** The stored lines of a bill ([class, tokens, USD per 1M, multiplier?] each) as objects. */
function costLinesOf(json: string | null): BilledLine[] {
  if (!json) return []
  return (JSON.parse(json) as [string, number, number, number?][]).map(([cls, tokens, usdPerMillion, multiplier]) =>
    (multiplier === undefined ? { class: cls, tokens, usdPerMillion } : { class: cls, tokens, usdPerMillion, multiplier }))
}

/** A row's usage and what it was billed: the part of a record that pricing it again reads. */
function billedOfRow(r: RequestRow) {
  return {
    promptTokens: Number(r.prompt_tokens),
    cachedTokens: Number(r.cached_tokens),
    cacheWriteTokens: Number(r.cache_write_tokens),
    cacheWrite1hTokens: Number(r.cache_write_1h_tokens),
    completionTokens: Number(r.completion_tokens),
    reasoningTokens: Number(r.reasoning_tokens),
    costNanoUsd: Number(r.cost_nano_usd),
    serviceTier: r.service_tier,
    costLines: costLinesOf(r.cost_lines),
  }
}

function fromRow(r: RequestRow) {
  const billed = billedOfRow(r)
  return {
    id: r.id,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    keyId: r.key_id,
    endpoint: r.endpoint,
    provider: r.provider,
    model: r.model,
    requestedModel: r.requested_model,
    stream: Boolean(r.stream),
    status: Number(r.status),
    errorCode: r.error_code,
    ...billed,
    // An unpriced request's cost is unknown: null, never $0.
    costUsd: r.unpriced ? null : nanoToUsd(billed.costNanoUsd),
    costNanoUsd: r.unpriced ? null : billed.costNanoUsd,
    estimated: Boolean(r.estimated),
    unpriced: Boolean(r.unpriced),
    latencyMs: Number(r.latency_ms),
    ttftMs: r.ttft_ms === null ? null : Number(r.ttft_ms),
    registryVersion: r.registry_version === null ? null : Number(r.registry_version),
  }
}
export type RequestLogEntry = ReturnType<typeof fromRow>

const encodeCursor = (createdAt: number, id: string) => Buffer.from(`${createdAt}:${id}`).toString('base64url')
function decodeCursor(cursor: string): [number, string] | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const at = text.indexOf(':')
  const ms = Number(text.slice(0, at))
  return at > 0 && Number.isFinite(ms) ? [ms, text.slice(at + 1)] : undefined
}

/** Newest first, keyset-paginated: `nextCursor` continues after the last row returned. */
export async function listRequests(q: RequestQuery): Promise<{ data: RequestLogEntry[], nextCursor: string | null }> {
  await flushRequestLog()
  const { db } = await database()
  const where: string[] = []
  const params: Primitive[] = []
  if (q.keyId) { where.push('key_id = ?'); params.push(q.keyId) }
  if (q.model) { where.push('model = ?'); params.push(q.model) }
  if (q.status === 'ok') where.push('status < 400')
  else if (q.status === 'error') where.push('status >= 400')
  else if (q.status !== undefined) { where.push('status = ?'); params.push(q.status) }
  if (q.from !== undefined) { where.push('created_at >= ?'); params.push(q.from) }
  if (q.to !== undefined) { where.push('created_at < ?'); params.push(q.to) }
  const after = q.cursor ? decodeCursor(q.cursor) : undefined
  if (q.cursor && !after) throw new RangeError('cursor is not valid')
  if (after) { where.push('(created_at < ? OR (created_at = ? AND id < ?))'); params.push(after[0], after[0], after[1]) }
  const sql = `SELECT * FROM request_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`
  const rows = await db.prepare(sql).all(...params, q.limit + 1) as RequestRow[]
  const page = rows.slice(0, q.limit)
  const last = page.at(-1)
  return {
    data: page.map(fromRow),
    nextCursor: rows.length > q.limit && last ? encodeCursor(Number(last.created_at), last.id) : null,
  }
}

/** What a logged request was billed for: its usage columns and lines, for pricing it again. */
export type BilledRequest = { createdAt: number, provider: string, model: string } & ReturnType<typeof billedOfRow>

const BILLED_PAGE = 5000

/** Every priced request created at or after `from` and before `to` (epoch ms), oldest first, a page of rows at a time. */
export async function* billedRequestsBetween(from: number, to: number): AsyncGenerator<BilledRequest[]> {
  await flushRequestLog()
  const { db } = await database()
  let after: [number, string] = [from - 1, '']
  for (;;) {
    const rows = await db.prepare(`SELECT id, created_at, provider, model, prompt_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, completion_tokens,
      reasoning_tokens, service_tier, cost_nano_usd, cost_lines FROM request_log
      WHERE model IS NOT NULL AND created_at < ? AND (created_at > ? OR (created_at = ? AND id > ?)) ORDER BY created_at, id LIMIT ?`)
      .all(to, after[0], after[0], after[1], BILLED_PAGE) as RequestRow[]
    if (!rows.length) return
    yield rows.map(r => ({ createdAt: Number(r.created_at), provider: r.provider ?? '', model: r.model!, ...billedOfRow(r) }))
    const last = rows.at(-1)!
    after = [Number(last.created_at), last.id]
    if (rows.length < BILLED_PAGE) return
  }
}

export const USAGE_GROUPS = { day: 'day', model: 'model', key: 'key_id', provider: 'provider' } as const
export type UsageGroup = keyof typeof USAGE_GROUPS

/** Totals per group between two UTC days (inclusive), read from the daily rollups. */
export async function usageBetween(fromDay: string, toDay: string, groupBy: UsageGroup) {
  await flushRequestLog()
  const { db } = await database()
  const column = USAGE_GROUPS[groupBy]
  const rows = await db.prepare(`SELECT ${column} AS grp, SUM(requests) AS requests, SUM(errors) AS errors, SUM(prompt_tokens) AS prompt_tokens,
    SUM(cached_tokens) AS cached_tokens, SUM(completion_tokens) AS completion_tokens, SUM(cost_nano_usd) AS cost_nano_usd
    FROM usage_daily WHERE day >= ? AND day <= ? GROUP BY ${column} ORDER BY ${column}`).all(fromDay, toDay) as Record<string, number | string>[]
  return rows.map(r => ({
    [groupBy]: r.grp,
    requests: Number(r.requests),
    errors: Number(r.errors),
    promptTokens: Number(r.prompt_tokens),
    cachedTokens: Number(r.cached_tokens),
    completionTokens: Number(r.completion_tokens),
    costUsd: nanoToUsd(Number(r.cost_nano_usd)),
    costNanoUsd: Number(r.cost_nano_usd),
  }))
}

// One write of the request log: the request rows, the daily usage rollups and each key's spend, as
// rows of plain values for three statements whose SQL is written only here. On SQLite the writer
// thread runs each row through the single-row statement (prepared once); PostgreSQL, and SQLite when
// the writer could not start, run multi-row statements built from the same definitions.
import type { BilledLine, RequestRecord } from './request-record'
import type { SqlRow } from '../db/dialect'
import { DAY_MS, utcDay } from '../../../shared/utils/utc-day'

/** Rows for the three statements of REQUEST_LOG_STATEMENTS, in that order. */
export type RequestLogBatch = [requests: SqlRow[], rollups: SqlRow[], spend: SqlRow[]]

const REQUEST_COLUMNS = ['id', 'created_at', 'key_id', 'endpoint', 'provider', 'model', 'stream', 'status', 'error_code', 'prompt_tokens', 'cached_tokens',
  'cache_write_tokens', 'completion_tokens', 'reasoning_tokens', 'cost_nano_usd', 'estimated', 'latency_ms', 'ttft_ms', 'cache_write_1h_tokens', 'requested_model',
  'registry_version', 'service_tier', 'cost_lines', 'unpriced']
const ROLLUP_KEY = ['day', 'key_id', 'provider', 'model']
/** Rollup columns that a conflicting row adds to. */
const ROLLUP_SUMS = ['requests', 'errors', 'prompt_tokens', 'cached_tokens', 'completion_tokens', 'cost_nano_usd']

const placeholders = (rows: number, columns: number) => {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`
  return Array.from({ length: rows }, () => row).join(', ')
}

export const insertRequestsSql = (rows: number) =>
  `INSERT INTO request_log (${REQUEST_COLUMNS.join(', ')}) VALUES ${placeholders(rows, REQUEST_COLUMNS.length)} ON CONFLICT (id) DO NOTHING`

export const upsertRollupsSql = (rows: number) =>
  `INSERT INTO usage_daily (${[...ROLLUP_KEY, ...ROLLUP_SUMS].join(', ')}) VALUES ${placeholders(rows, ROLLUP_KEY.length + ROLLUP_SUMS.length)}
  ON CONFLICT (${ROLLUP_KEY.join(', ')}) DO UPDATE SET ${ROLLUP_SUMS.map(c => `${c} = usage_daily.${c} + excluded.${c}`).join(', ')}`

export const ADD_SPEND_SQL = 'UPDATE gateway_keys SET spent_nano_usd = spent_nano_usd + ?, last_used_at = ? WHERE id = ?'

/** The single-row statements, in the order of a RequestLogBatch's row lists. */
export const REQUEST_LOG_STATEMENTS = [insertRequestsSql(1), upsertRollupsSql(1), ADD_SPEND_SQL]

let lastDay = -1
let lastDayText = ''
/** The UTC day of `ms`, formatted once per day rather than once per row. */
function rowDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS)
  if (day !== lastDay) {
    lastDay = day
    lastDayText = utcDay(day * DAY_MS)
  }
  return lastDayText
}

/** The bill's lines as compact JSON, [class, tokens, USD per 1M] each (and the multiplier, when one applied); NULL for a request billed nothing. */
export const costLinesJson = (lines: BilledLine[]): string | null =>
  (lines.length ? JSON.stringify(lines.map(l => (l.multiplier === undefined ? [l.class, l.tokens, l.usdPerMillion] : [l.class, l.tokens, l.usdPerMillion, l.multiplier]))) : null)

/** The rows to write for `records`: one a request, rollups summed per day, key, provider and model, spend per key. */
export function requestLogBatch(records: RequestRecord[]): RequestLogBatch {
  const rollups = new Map<string, { day: string, keyId: string, provider: string, model: string, requests: number, errors: number, prompt: number, cached: number, completion: number, cost: number }>()
  const spend = new Map<string, { cost: number, lastUsedAt: number }>()
  for (const r of records) {
    const day = rowDay(r.createdAt)
    const provider = r.provider ?? ''
    const model = r.model ?? ''
    const k = `${day}\u0000${r.keyId}\u0000${provider}\u0000${model}`
    const agg = rollups.get(k) ?? { day, keyId: r.keyId, provider, model, requests: 0, errors: 0, prompt: 0, cached: 0, completion: 0, cost: 0 }
    agg.requests++
    if (r.status >= 400) agg.errors++
    agg.prompt += r.promptTokens
    agg.cached += r.cachedTokens
    agg.completion += r.completionTokens
    agg.cost += r.costNanoUsd
    rollups.set(k, agg)
    const s = spend.get(r.keyId) ?? { cost: 0, lastUsedAt: 0 }
    s.cost += r.costNanoUsd
    s.lastUsedAt = Math.max(s.lastUsedAt, r.createdAt)
    spend.set(r.keyId, s)
  }
  return [
    records.map(r => [r.id, r.createdAt, r.keyId, r.endpoint, r.provider, r.model, r.stream ? 1 : 0, r.status, r.errorCode, r.promptTokens, r.cachedTokens,
      r.cacheWriteTokens, r.completionTokens, r.reasoningTokens, r.costNanoUsd, r.estimated ? 1 : 0, r.latencyMs, r.ttftMs, r.cacheWrite1hTokens, r.requestedModel,
      r.registryVersion, r.serviceTier, costLinesJson(r.costLines), r.unpriced ? 1 : 0]),
    [...rollups.values()].map(a => [a.day, a.keyId, a.provider, a.model, a.requests, a.errors, a.prompt, a.cached, a.completion, a.cost]),
    [...spend].map(([keyId, s]) => [s.cost, s.lastUsedAt, keyId]),
  ]
}

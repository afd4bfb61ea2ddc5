// Overview statistics for the dashboard, in SQL that SQLite and PostgreSQL both run: usage per day and
// provider or model (from the daily rollups) and latency percentiles (from the request log).
import { z } from 'zod'
import { database } from '../db'
import { flushRequestLog } from '../store/request-log'
import { nanoToUsd } from '../core/money'
import { DAY_MS, lastUtcDays, utcDaysBetween } from '../../../shared/utils/utc-day'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a UTC day (YYYY-MM-DD)')

/** `from`/`to`: UTC days, inclusive; the last 30 days by default. */
export const DayRange = z.object({
  from: day.default(() => lastUtcDays(30).from),
  to: day.default(() => lastUtcDays(30).to),
}).refine(r => r.from <= r.to, { message: 'from must not be after to', path: ['from'] })

export const SERIES_GROUPS = { provider: 'provider', model: 'model' } as const
export type SeriesGroup = keyof typeof SERIES_GROUPS

export interface Series {
  name: string
  requests: number[]
  errors: number[]
  tokens: number[]
  costUsd: number[]
}

/** Requests, errors, tokens and cost per day for each provider or model, one value per day of the range. */
export async function usageSeries(from: string, to: string, by: SeriesGroup): Promise<{ days: string[], series: Series[] }> {
  await flushRequestLog()
  const { db } = await database()
  const column = SERIES_GROUPS[by]
  const rows = await db.prepare(`SELECT day, ${column} AS grp, SUM(requests) AS requests, SUM(errors) AS errors,
    SUM(prompt_tokens) + SUM(completion_tokens) AS tokens, SUM(cost_nano_usd) AS cost_nano_usd
    FROM usage_daily WHERE day >= ? AND day <= ? GROUP BY day, ${column}`).all(from, to) as Record<string, string | number>[]
  const days = utcDaysBetween(from, to)
  const index = new Map(days.map((d, i) => [d, i]))
  const byName = new Map<string, Series>()
  for (const r of rows) {
    const i = index.get(String(r.day))
    if (i === undefined) continue
    const name = String(r.grp) || 'unknown'
    let s = byName.get(name)
    if (!s) {
      const zeros = () => days.map(() => 0)
      s = { name, requests: zeros(), errors: zeros(), tokens: zeros(), costUsd: zeros() }
      byName.set(name, s)
    }
    s.requests[i]! += Number(r.requests)
    s.errors[i]! += Number(r.errors)
    s.tokens[i]! += Number(r.tokens)
    // Summed in nano-dollars while the rows are read, turned into dollars after.
    s.costUsd[i]! += Number(r.cost_nano_usd)
  }
  for (const s of byName.values()) s.costUsd = s.costUsd.map(nanoToUsd)
  const total = (s: Series) => s.requests.reduce((a, b) => a + b, 0)
  return { days, series: [...byName.values()].sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name)) }
}

/**
 * Nearest-rank latency percentiles (ms) of the successful requests between two UTC days (inclusive):
 * a count, then one indexed row per percentile, so only one value per percentile is read.
 */
export async function latencyPercentiles(from: string, to: string) {
  await flushRequestLog()
  const { db } = await database()
  const window = [Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + DAY_MS] as const
  const where = 'WHERE created_at >= ? AND created_at < ? AND status < 400'
  const { n } = await db.prepare(`SELECT COUNT(*) AS n FROM request_log ${where}`).get(...window) as { n: number | string }
  const count = Number(n)
  const at = async (p: number) => {
    if (!count) return null
    const offset = Math.max(0, Math.ceil((p / 100) * count) - 1)
    const row = await db.prepare(`SELECT latency_ms FROM request_log ${where} ORDER BY latency_ms LIMIT 1 OFFSET ?`).get(...window, offset) as { latency_ms: number | string }
    return Number(row.latency_ms)
  }
  return { count, p50: await at(50), p95: await at(95), p99: await at(99) }
}

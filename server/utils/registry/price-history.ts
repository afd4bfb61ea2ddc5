// Every change to a model's registry prices (and status), with where it came from.
import { randomUUID } from 'node:crypto'
import { database } from '../db'
import type { PriceChange } from './merge'

export type ChangeSource = 'scrape' | 'manual' | 'rollback'

export async function recordPriceChanges(changes: PriceChange[], source: ChangeSource, at = Date.now()): Promise<void> {
  if (!changes.length) return
  const { db, transaction } = await database()
  await transaction(async () => {
    const insert = db.prepare('INSERT INTO price_history (id, model_id, provider, field, old_value, new_value, source, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    for (const c of changes) {
      const kind = c.overridden ? `${source} (under manual override)` : source
      await insert.run(randomUUID(), c.id, c.provider, c.field, c.from === null ? null : String(c.from), c.to === null ? null : String(c.to), kind, at)
    }
  })
}

export async function priceHistory(modelId: string) {
  const { db } = await database()
  const rows = await db.prepare('SELECT field, old_value, new_value, source, changed_at FROM price_history WHERE model_id = ? ORDER BY changed_at DESC, field')
    .all(modelId) as { field: string, old_value: string | null, new_value: string | null, source: string, changed_at: number | string }[]
  const value = (v: string | null) => (v === null ? null : Number.isNaN(Number(v)) ? v : Number(v))
  return rows.map(r => ({ field: r.field, from: value(r.old_value), to: value(r.new_value), source: r.source, changedAt: new Date(Number(r.changed_at)).toISOString() }))
}

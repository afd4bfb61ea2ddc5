// Routes (virtual models) stored through the admin API.
import { z } from 'zod'
import { database } from '../db'

export const RouteTarget = z.object({
  model: z.string().trim().min(1),
  weight: z.number().positive().finite().optional(),
}).strict()

export const RouteInput = z.object({
  targets: z.array(RouteTarget).min(1).max(20),
  strategy: z.enum(['fallback', 'weighted']).default('fallback'),
}).strict()
export type RouteInput = z.infer<typeof RouteInput>

export const RouteName = z.string().trim().min(1).max(200).regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only')

export interface StoredRoute extends RouteInput {
  name: string
  updatedAt: number
}

export async function listStoredRoutes(): Promise<StoredRoute[]> {
  const { db } = await database()
  const rows = await db.prepare('SELECT name, strategy, targets, updated_at FROM routes ORDER BY name').all() as { name: string, strategy: string, targets: string, updated_at: number | string }[]
  return rows.map(r => ({ name: r.name, ...RouteInput.parse({ strategy: r.strategy, targets: JSON.parse(r.targets) }), updatedAt: Number(r.updated_at) }))
}

export async function saveRoute(name: string, route: RouteInput): Promise<void> {
  const { db, transaction } = await database()
  await transaction(() => db.prepare(`INSERT INTO routes (name, strategy, targets, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET strategy = excluded.strategy, targets = excluded.targets, updated_at = excluded.updated_at`)
    .run(name, route.strategy, JSON.stringify(route.targets), Date.now()))
}

export async function deleteRoute(name: string): Promise<boolean> {
  const { db, transaction } = await database()
  const res = await transaction(() => db.prepare('DELETE FROM routes WHERE name = ?').run(name)) as { changes?: number, rowCount?: number }
  return Boolean(res.changes ?? res.rowCount)
}

// The routes in force: those from ROUTES_FILE (read at start) and those stored through the admin API,
// which win on a name clash. Held in memory; reloaded when the admin API changes one.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { config } from '../core/config'
import { broadcast } from '../shared/broadcast'
import { listStoredRoutes, RouteInput, RouteName } from '../store/routes'

export interface Route extends RouteInput {
  name: string
  source: 'file' | 'db'
}

const RoutesFile = z.object({ routes: z.record(RouteName, RouteInput) })

let routes = new Map<string, Route>()

function fileRoutes(): Route[] {
  const path = config().routesFile
  if (!path) return []
  const parsed = RoutesFile.parse(JSON.parse(readFileSync(path, 'utf8')))
  return Object.entries(parsed.routes).map(([name, r]) => ({ name, ...r, source: 'file' as const }))
}

export async function reloadRoutes(): Promise<void> {
  const next = new Map<string, Route>()
  for (const r of fileRoutes()) next.set(r.name, r)
  for (const r of await listStoredRoutes()) next.set(r.name, { name: r.name, strategy: r.strategy, targets: r.targets, source: 'db' })
  routes = next
}

/** After an admin change: reload here and tell the other instances. */
export async function routesChanged(): Promise<void> {
  await reloadRoutes()
  broadcast('routes')
}

export function findRoute(name: string): Route | undefined {
  return routes.get(name)
}

export function allRoutes(): Route[] {
  return [...routes.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** Target models in the order to try them: as listed, or for "weighted" one drawn by weight first. */
export function targetOrder(route: Route, random = Math.random): string[] {
  const models = route.targets.map(t => t.model)
  if (route.strategy !== 'weighted') return models
  const weights = route.targets.map(t => t.weight ?? 1)
  let draw = random() * weights.reduce((a, b) => a + b, 0)
  const first = weights.findIndex(w => (draw -= w) < 0)
  const i = first < 0 ? 0 : first
  return [models[i]!, ...models.filter((_, j) => j !== i)]
}

// Start-up and shut-down of the gateway's state: secrets, database (migrated), registry, credentials.
// At shutdown, background responses are given until the drain deadline to finish before anything closes.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { consola } from 'consola'
import { issueSetupToken } from '../admin/setup'
import { database } from '../db'
import { forgetKey } from '../gateway/auth'
import { drainJobs, stopJob } from '../gateway/background'
import { reloadConnections } from '../gateway/connections'
import { reloadRoutes } from '../gateway/routes'
import { closeUpstreamPool } from '../gateway/upstream'
import { loadRegistry, registryStorage } from '../registry/store'
import { onBroadcast } from '../shared/broadcast'
import { closeRedis, loadRedisDrivers } from '../shared/redis'
import { flushAccessLog } from '../ops/access-log'
import { drainStartedAt } from '../ops/drain'
import { flushRequestLog } from '../store/request-log'
import { shutdownTracing } from '../core/tracing'
import { config } from '../core/config'
import { secureDataDir } from '../core/data-dir'
import { secrets } from '../core/secrets'

let starting: Promise<void> | undefined

export function startGateway(): Promise<void> {
  starting ??= (async () => {
    secureDataDir()
    const s = secrets()
    await loadRedisDrivers()
    await database()
    // Tells `npm run restore` that a gateway is using this DATA_DIR.
    writeFileSync(pidFile(), String(process.pid))
    const registry = await loadRegistry()
    await reloadConnections()
    await reloadRoutes()
    // Other instances' changes (through Redis when REDIS_URL is set).
    await onBroadcast('keys', forgetKey)
    await onBroadcast('routes', reloadRoutes)
    await onBroadcast('credentials', reloadConnections)
    await onBroadcast('registry', loadRegistry)
    await onBroadcast('responses-cancel', id => stopJob(id, 'cancelled'))
    consola.info(`[gateway] data in ${config().dataDir}; ${registry.models.length} models in the registry`)
    if (s.generatedAdminKey) {
      // Shown once: only its digest is kept. Set ADMIN_API_KEY in production.
      showOperator(`Admin API key (generated on first start, shown only now):\n  ${s.generatedAdminKey}`)
    }
    const setupToken = await issueSetupToken()
    if (setupToken) {
      // Proof of owning the gateway for /setup; a new one is issued on each start until an administrator exists.
      showOperator(`No dashboard administrator yet. Set-up token for /setup (valid until one is created):\n  ${setupToken}`)
    }
  })()
  return starting
}

/**
 * A secret the operator must see, printed with console.log rather than consola: a log level (consola's
 * CONSOLA_LEVEL, or its warn level under NODE_ENV=test) must not hide it, since the generated admin key
 * is shown only once and the set-up token is the only way into /setup.
 */
function showOperator(text: string): void {
  console.log(`\n  ${text}\n`)
}

const pidFile = () => join(config().dataDir, 'gateway.pid')

export async function stopGateway(): Promise<void> {
  const stopped = await drainJobs(drainStartedAt() + config().responsesBackgroundDrainMs)
  if (stopped) consola.warn(`[gateway] ${stopped} background response(s) did not finish within the drain and were stored as failed`)
  flushAccessLog()
  await flushRequestLog().catch(error => consola.error('[gateway] could not write the request log at shutdown:', error))
  await shutdownTracing().catch(error => consola.error('[gateway] could not send the last traces at shutdown:', error))
  await closeUpstreamPool()
  await closeRedis()
  await registryStorage().dispose()
  await (await database()).close()
  rmSync(pidFile(), { force: true })
}

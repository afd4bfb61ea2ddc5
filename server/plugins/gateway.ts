// Brings the gateway's state up with the server, drains on SIGTERM (Nitro's graceful shutdown then
// waits for in-flight requests and streams, up to NITRO_SHUTDOWN_TIMEOUT) and writes everything
// pending before the process exits.
import { consola } from 'consola'
import { defineNitroPlugin } from 'nitropack/runtime'
import { startGateway, stopGateway } from '../utils/app/lifecycle'
import { errorMessage } from '../utils/core/error-message'
import { startDraining } from '../utils/ops/drain'

export default defineNitroPlugin((nitroApp) => {
  startGateway().catch((error) => {
    consola.error('[gateway] start-up failed:', errorMessage(error))
    process.exit(1)
  })
  process.once('SIGTERM', startDraining)
  process.once('SIGINT', startDraining)
  nitroApp.hooks.hook('close', stopGateway)
})

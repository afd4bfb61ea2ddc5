// Brings the gateway's state up with the server and writes everything pending before it exits.
import { startGateway, stopGateway } from '../utils/core/lifecycle'

export default defineNitroPlugin((nitroApp) => {
  startGateway().catch((error) => {
    console.error('[gateway] start-up failed:', error instanceof Error ? error.message : error)
    process.exit(1)
  })
  nitroApp.hooks.hook('close', stopGateway)
})

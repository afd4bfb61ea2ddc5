// The Node HTTP server that Nitro's node-server preset starts: its timeouts, set deliberately instead of
// Node's defaults (a request may take five minutes to arrive, its headers one), and an exit when it
// cannot listen. The preset creates and starts the server after the plugins run and hands it to none
// of them, so the server is taken as it starts to listen, through Node's `net.server.listen`
// diagnostics channel (published synchronously by listen(), before a listen error is emitted).
// requestTimeout bounds receiving a request, headers and body, not sending its response: a stream
// of several minutes is not cut. The idle timeout between body chunks is the body reader's.
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { Server as HttpServer } from 'node:http'
import { Server as HttpsServer } from 'node:https'
import { consola } from 'consola'
import { defineNitroPlugin } from 'nitropack/runtime'
import { config } from '../utils/core/config'

const LISTEN = 'tracing:net.server.listen:asyncStart'

// Node looks for requests past their timeouts every connectionsCheckingInterval (30 s by default,
// which would let a 10 s headers timeout run to 40 s); a walk over the connections still receiving
// a request costs little.
const MAX_CHECK_INTERVAL_MS = 1000

// The constructor option, which Node keeps on the server and reads when it starts listening.
type CheckedServer = (HttpServer | HttpsServer) & { connectionsCheckingInterval: number }

function applyTimeouts(server: CheckedServer): void {
  const { headersTimeoutMs, requestTimeoutMs } = config()
  server.headersTimeout = headersTimeoutMs
  server.requestTimeout = requestTimeoutMs
  server.connectionsCheckingInterval = Math.min(MAX_CHECK_INTERVAL_MS, ...[headersTimeoutMs, requestTimeoutMs].filter(ms => ms > 0))
}

/**
 * A port already taken (or one the user may not bind) would otherwise reach Nitro's uncaught-error
 * trap, which logs it and leaves a process running that serves nothing: say why and exit instead.
 */
function exitIfListenFails(server: HttpServer | HttpsServer): void {
  const onError = (error: NodeJS.ErrnoException) => {
    consola.error(`[gateway] cannot listen: ${error.code ?? error.message}${error.code === 'EADDRINUSE' ? ' (the port is taken; set PORT to another)' : ''}`)
    process.exit(1)
  }
  server.once('error', onError)
  server.once('listening', () => server.off('error', onError))
}

export default defineNitroPlugin(() => {
  const onListen = (message: unknown) => {
    const { server } = message as { server?: unknown }
    if (!(server instanceof HttpServer || server instanceof HttpsServer)) return
    unsubscribe(LISTEN, onListen)
    applyTimeouts(server as CheckedServer)
    exitIfListenFails(server)
  }
  subscribe(LISTEN, onListen)
})

// The client's address: the socket's, or with TRUST_PROXY the one the trusted proxies put in
// X-Forwarded-For (counted from the right, since a client can write anything to the left). The host
// name it asked for: Host, or with TRUST_PROXY the proxy's X-Forwarded-Host, counted the same way.
import type { IncomingMessage } from 'node:http'
import { config } from '../core/config'

/** The entry of an X-Forwarded-* list that the outermost trusted proxy wrote; undefined without TRUST_PROXY. */
function forwarded(req: IncomingMessage, name: 'x-forwarded-for' | 'x-forwarded-host'): string | undefined {
  const hops = config().trustedProxyHops
  if (!hops) return undefined
  const header = req.headers[name]
  const chain = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map(s => s.trim()).filter(Boolean)
  return chain[chain.length - hops] ?? chain[0]
}

export function clientIp(req: IncomingMessage): string {
  return forwarded(req, 'x-forwarded-for') ?? req.socket.remoteAddress ?? 'unknown'
}

export function requestHost(req: IncomingMessage): string | undefined {
  return forwarded(req, 'x-forwarded-host') ?? req.headers.host
}

/** Whether the connection itself comes from this machine (the socket, never a forwarded header). */
export function isLoopbackSocket(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? ''
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.')
}

// The client's address: the socket's, or with TRUST_PROXY the one the trusted proxies put in
// X-Forwarded-For (counted from the right, since a client can write anything to the left).
import type { IncomingMessage } from 'node:http'
import { config } from '../core/config'

export function clientIp(req: IncomingMessage): string {
  const hops = config().trustedProxyHops
  const socketIp = req.socket.remoteAddress ?? 'unknown'
  if (!hops) return socketIp
  const header = req.headers['x-forwarded-for']
  const chain = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map(s => s.trim()).filter(Boolean)
  return chain[chain.length - hops] ?? chain[0] ?? socketIp
}

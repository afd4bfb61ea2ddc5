// The host names the dashboard and admin API answer to: the loopback names on any port, GATEWAY_DOMAIN
// and PUBLIC_HOSTS. Checking the name defeats DNS rebinding: a page on another site whose name is made
// to resolve to this gateway's address still sends its own name, so it cannot read the dashboard or
// drive the admin API even when the gateway listens on localhost only.
import { consola } from 'consola'
import { config } from '../core/config'

interface HostName { name: string, port?: string }

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']

/** `name[:port]`, lower-cased, without a trailing dot; IPv6 addresses keep their brackets. */
function parseHost(value: string): HostName | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(value.trim())
  if (!m) return undefined
  return { name: m[1]!.toLowerCase().replace(/\.$/, ''), port: m[2] }
}

let allowed: HostName[] | undefined

function allowedHosts(): HostName[] {
  if (!allowed) {
    allowed = LOOPBACK_NAMES.map(h => parseHost(h)!)
    for (const entry of config().publicHosts) {
      const host = parseHost(entry)
      if (host) allowed.push(host)
      else consola.warn(`[gateway] PUBLIC_HOSTS/GATEWAY_DOMAIN entry ${JSON.stringify(entry)} ignored: write a host name, optionally with :port (no scheme or path)`)
    }
  }
  return allowed
}

/** An entry without a port allows its name on any port; one with a port allows that port only. */
export function isAllowedHost(host: string | undefined): boolean {
  const asked = host === undefined ? undefined : parseHost(host)
  if (!asked) return false
  return allowedHosts().some(h => h.name === asked.name && (h.port === undefined || h.port === asked.port))
}

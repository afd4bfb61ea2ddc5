// Dashboard pages and the admin API answer only to the host names of allowed-hosts.ts (DNS rebinding);
// another name gets 421 saying which variable allows it. /v1 and the probes (/health, /live, /ready,
// /metrics) answer to any name: API clients and monitors reach them by whatever address they have.
import { defineEventHandler } from 'h3'
import { GatewayError } from '../utils/core/errors'
import { sendOpenAIError } from '../utils/gateway/respond'
import { isAllowedHost } from '../utils/ops/allowed-hosts'
import { requestHost } from '../utils/ops/client-ip'

const ANY_HOST = /^\/(?:v1|health|live|ready|metrics)(?:[/?]|$)/

export default defineEventHandler((event) => {
  const { req, res } = event.node
  const url = req.url ?? '/'
  if (url.startsWith('/v1/') || ANY_HOST.test(url)) return
  const host = requestHost(req)
  if (isAllowedHost(host)) return
  const message = `This gateway does not answer to the host name ${JSON.stringify((host ?? '').slice(0, 100))} on its dashboard and admin API. `
    + 'To reach them by this name, add it to PUBLIC_HOSTS (comma-separated host names, optionally with a port) or set GATEWAY_DOMAIN.'
  if (url.startsWith('/api/')) {
    sendOpenAIError(event, new GatewayError(421, message, 'invalid_request_error', 'host_not_allowed'))
    return
  }
  res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message) + 1 })
  res.end(`${message}\n`)
})

// Every request gets an id (an incoming x-request-id is kept), echoed in the response, and one access
// log line when its response ends. Requests arriving while the gateway drains for shutdown get 503.
import { randomUUID } from 'node:crypto'
import { defineEventHandler } from 'h3'
import { GatewayError } from '../utils/core/errors'
import { sendOpenAIError } from '../utils/gateway/respond'
import { writeAccessLog } from '../utils/ops/access-log'
import { isDraining } from '../utils/ops/drain'

const VALID_ID = /^[\w.:-]{1,128}$/

export default defineEventHandler((event) => {
  const { req, res } = event.node
  const incoming = req.headers['x-request-id']
  const requestId = typeof incoming === 'string' && VALID_ID.test(incoming) ? incoming : `req_${randomUUID().replaceAll('-', '')}`
  event.context.requestId = requestId
  res.setHeader('x-request-id', requestId)
  const started = Date.now()
  res.once('close', () => {
    writeAccessLog({
      requestId,
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0]!,
      status: event.context.gateway?.record?.status ?? res.statusCode,
      durationMs: Date.now() - started,
      record: event.context.gateway?.record,
    })
  })
  if (isDraining() && !req.url?.startsWith('/live')) {
    res.setHeader('connection', 'close')
    sendOpenAIError(event, new GatewayError(503, 'The gateway is shutting down; retry on another instance.', 'service_unavailable', 'shutting_down', null, { 'retry-after': '1' }))
  }
})

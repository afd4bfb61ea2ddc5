// Writing responses to clients: JSON bodies, errors in OpenAI's or Anthropic's shape (and the one
// place a caught failure becomes such an error), the headers naming who answered, server-sent events.
import { consola } from 'consola'
import type { H3Event } from 'h3'
import type { ServerResponse } from 'node:http'
import { GatewayError, toGatewayError } from '../core/errors'
import { nanoToUsdText } from '../core/money'
import { toAnthropicError } from '../inbound/anthropic/errors'
import type { RequestContext } from './context'

/** Sends an error in one API's shape. */
export type ErrorSender = (event: H3Event, error: GatewayError) => void

export function sendJsonText(event: H3Event, status: number, body: string, headers: Record<string, string> = {}): void {
  const res = event.node.res
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

/** Sends an error body unless the response has started (then it can only be ended). */
function sendErrorBody(event: H3Event, error: GatewayError, body: unknown): void {
  const res = event.node.res
  if (res.headersSent) {
    if (!res.writableEnded) res.end()
    return
  }
  sendJsonText(event, error.status, JSON.stringify(body), error.headers)
}

export function sendOpenAIError(event: H3Event, error: GatewayError): void {
  sendErrorBody(event, error, error)
}

export function sendAnthropicError(event: H3Event, error: GatewayError): void {
  sendErrorBody(event, error, toAnthropicError(error.status, error.message, error.type))
}

/**
 * Answers a handler's failure: anything thrown becomes a GatewayError (the unexpected a bland 500,
 * logged under `label` with its stack), sent by `send`. Returns the error sent.
 */
export function sendFailure(event: H3Event, thrown: unknown, label: string, send: ErrorSender = sendOpenAIError): GatewayError {
  const err = toGatewayError(thrown)
  if (err.status >= 500 && !(thrown instanceof GatewayError)) consola.error(`${label} failed:`, thrown)
  send(event, err)
  return err
}

/**
 * The headers an answer leaves with: the provider and model that answered, the time spent in the
 * gateway so far with the upstream's excluded, and the cost when the request is metered by then
 * (a non-stream answer with usage; a stream's cost is in the request log).
 */
export function gatewayHeaders(ctx: RequestContext): Record<string, string> {
  const headers: Record<string, string> = {}
  if (ctx.provider) headers['x-gateway-provider'] = ctx.provider
  if (ctx.entry) headers['x-gateway-model'] = ctx.entry.id
  headers['x-gateway-overhead-ms'] = Math.max(0, performance.now() - ctx.startedPerf - ctx.upstreamMs).toFixed(2)
  if (ctx.record && !ctx.record.unpriced && !ctx.record.estimated) headers['x-gateway-cost-usd'] = nanoToUsdText(ctx.record.costNanoUsd)
  return headers
}

export function startEventStream(res: ServerResponse, headers: Record<string, string>): void {
  // The headers leave with the first event: one socket write, not two.
  res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'connection': 'keep-alive', 'x-accel-buffering': 'no' })
}

/** Writes and waits for the socket to drain when the client reads slower than the upstream sends. */
export async function writeEvents(res: ServerResponse, text: string): Promise<void> {
  if (!text || res.writableEnded || res.destroyed) return
  if (!res.write(text)) {
    await new Promise<void>((resolve) => {
      const done = () => { res.off('drain', done); res.off('close', done); resolve() }
      res.on('drain', done)
      res.on('close', done)
    })
  }
}

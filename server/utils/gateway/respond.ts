// Writing responses to /v1 clients: JSON bodies, OpenAI-shaped errors and server-sent events.
import type { H3Event } from 'h3'
import type { ServerResponse } from 'node:http'
import type { GatewayError } from '../core/errors'

export function sendJsonText(event: H3Event, status: number, body: string, headers: Record<string, string> = {}): void {
  const res = event.node.res
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

/** Sends an error body unless the response has started (then it can only be ended). */
export function sendErrorBody(event: H3Event, error: GatewayError, body: unknown): void {
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

// The one place the gateway talks HTTP to providers: undici's keep-alive pools, a time limit to the
// first byte and between body chunks, and the call stopped when the client goes away. It uses
// undici's dispatcher API rather than undici.request: per call that saves a Readable stream for the
// body, an AbortSignal and a URL parse, which showed in profiles of the hot path. The body is
// gathered whole (text()) or read chunk by chunk (for await), pausing the socket when unread.
import type { IncomingHttpHeaders } from 'node:http'
import { Agent, type Dispatcher, errors as undiciErrors } from 'undici'
import { config } from '../core/config'
import type { ProviderFailure, UpstreamRequest } from '../providers/types'
import type { ClientClose } from './client-close'
import { clientClosedError } from './client-close'
import { GatewayError } from '../core/errors'

/** Unread chunks at which a streamed body stops reading from the socket until the reader catches up. */
const HIGH_WATER_CHUNKS = 32

let agent: Agent | undefined

function dispatcher(): Agent {
  if (agent) return agent
  const { upstreamTimeoutMs, upstreamIdleTimeoutMs } = config()
  // headersTimeout: until the first byte; bodyTimeout: the longest silence between body chunks.
  agent = new Agent({ keepAliveTimeout: 30_000, headersTimeout: upstreamTimeoutMs, bodyTimeout: upstreamIdleTimeoutMs })
  return agent
}

/** `https://host:port/path?q` as origin and path, without a URL object per call. */
function splitUrl(url: string): { origin: string, path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2)
  return slash < 0 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) }
}

/** An upstream answer: status and headers once they arrived, the body as it arrives. */
export class UpstreamResponse implements Dispatcher.DispatchHandler, AsyncIterable<Buffer> {
  statusCode = 0
  headers: IncomingHttpHeaders = {}
  private controller: Dispatcher.DispatchController | undefined
  private stopReason: Error | undefined
  private chunks: Buffer[] = []
  private streaming = false
  private ended = false
  private failure: unknown
  private wake: (() => void) | undefined

  constructor(private readonly started: { resolve: (r: UpstreamResponse) => void, reject: (e: unknown) => void }) {}

  /** Stops the call (the client went away); the reader sees a ClientClosedError. */
  stop(): void {
    if (this.ended) return
    // With a controller, the request has gone out (undici starts it right before writing it).
    this.stopReason = clientClosedError(this.controller !== undefined)
    this.controller?.abort(this.stopReason)
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    // Stopped while it waited for a connection in the pool.
    if (this.stopReason) controller.abort(this.stopReason)
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return
    this.statusCode = statusCode
    this.headers = headers
    this.started.resolve(this)
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk)
    if (this.streaming && this.chunks.length >= HIGH_WATER_CHUNKS) controller.pause()
    this.notify()
  }

  onResponseEnd(): void {
    this.ended = true
    this.notify()
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.ended = true
    if (!this.statusCode) {
      this.started.reject(error)
      return
    }
    this.failure = error
    this.notify()
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  private next(): Promise<void> {
    return new Promise<void>((resolve) => { this.wake = resolve })
  }

  /** The whole body as text; a connection lost midway rejects. */
  async text(): Promise<string> {
    while (!this.ended) await this.next()
    if (this.failure) throw this.failure
    const chunks = this.chunks
    this.chunks = []
    return (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')
  }

  /** The body chunk by chunk; leaving the loop early stops the call. */
  async* [Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    this.streaming = true
    try {
      while (true) {
        if (this.chunks.length) {
          const chunks = this.chunks
          this.chunks = []
          if (this.controller?.paused) this.controller.resume()
          yield* chunks
          continue
        }
        if (this.ended) {
          if (this.failure) throw this.failure
          return
        }
        await this.next()
      }
    }
    finally {
      if (!this.ended) this.stop()
    }
  }
}

/** Sends the request; resolves when the response headers arrive. Stops when the client goes away. */
export async function callUpstream(req: UpstreamRequest, client: ClientClose): Promise<UpstreamResponse> {
  let response!: UpstreamResponse
  const started = new Promise<UpstreamResponse>((resolve, reject) => {
    response = new UpstreamResponse({ resolve, reject })
  })
  const { origin, path } = splitUrl(req.url)
  const unlisten = client.listen(() => response.stop())
  try {
    dispatcher().dispatch({ origin, path, method: 'POST', headers: req.headers, body: req.body }, response)
    return await started
  }
  catch (error) {
    unlisten()
    throw upstreamTransportError(error)
  }
}

/** Transport failures (timeouts, refused or reset connections) as client-facing errors. */
export function upstreamTransportError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError) {
    return new GatewayError(504, 'The upstream provider did not answer in time.', 'timeout_error', 'upstream_timeout')
  }
  return new GatewayError(502, 'The gateway could not reach the upstream provider.', 'upstream_error', 'upstream_unreachable')
}

/** A provider's failure (an error answer, or an error inside its stream) as the client-facing error. */
export const failureError = (f: ProviderFailure) => new GatewayError(f.status, f.message, f.type, f.code)

export async function closeUpstreamPool(): Promise<void> {
  await agent?.close()
  agent = undefined
}

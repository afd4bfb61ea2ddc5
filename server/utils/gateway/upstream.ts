// The one place the gateway talks HTTP to providers: undici with a keep-alive pool, a time limit to
// the first byte and between body chunks, and an abort signal tied to the client's connection.
import { Agent, errors as undiciErrors, request } from 'undici'
import { config } from '../core/config'
import type { UpstreamRequest } from '../providers/types'
import { GatewayError } from './errors'

let agent: Agent | undefined

function dispatcher(): Agent {
  const { upstreamTimeoutMs, upstreamIdleTimeoutMs } = config()
  // headersTimeout: until the first byte; bodyTimeout: the longest silence between body chunks.
  agent ??= new Agent({ keepAliveTimeout: 30_000, headersTimeout: upstreamTimeoutMs, bodyTimeout: upstreamIdleTimeoutMs })
  return agent
}

export type UpstreamResponse = Awaited<ReturnType<typeof request>>

export async function callUpstream(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
  try {
    return await request(req.url, { method: 'POST', headers: req.headers, body: req.body, signal, dispatcher: dispatcher() })
  }
  catch (error) {
    throw upstreamTransportError(error)
  }
}

/** Transport failures (timeouts, refused or reset connections) as client-facing errors. */
export function upstreamTransportError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError) {
    return new GatewayError(504, 'The upstream provider did not answer in time.', 'timeout_error', 'upstream_timeout')
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new GatewayError(499, 'The client closed the request.', 'api_error', 'client_closed_request')
  }
  return new GatewayError(502, 'The gateway could not reach the upstream provider.', 'upstream_error', 'upstream_unreachable')
}

export async function closeUpstreamPool(): Promise<void> {
  await agent?.close()
  agent = undefined
}

// Anthropic error bodies ({"type":"error","error":{"type","message"}}) → the gateway's failure
// vocabulary. The Anthropic error type is kept as the code; in-stream `error` events carry no HTTP
// status, so their type picks the status they would have had.
import type { ProviderFailure } from '../types'
import { failureForStatus } from '../failure'

const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

function parse(body: string): { type?: string, message?: string } {
  try {
    const err = JSON.parse(body)?.error
    return {
      type: typeof err?.type === 'string' ? err.type : undefined,
      message: typeof err?.message === 'string' ? err.message : undefined,
    }
  }
  catch {
    return {}
  }
}

export function anthropicError(status: number, body: string): ProviderFailure {
  const { type, message } = parse(body)
  return failureForStatus('Anthropic', status, message, type ?? null)
}

/** An `event: error` inside a stream (its data is the same error body). */
export function anthropicStreamError(data: string): ProviderFailure {
  return anthropicError(STATUS_BY_TYPE[parse(data).type ?? ''] ?? 500, data)
}

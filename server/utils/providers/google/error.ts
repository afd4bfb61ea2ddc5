// Gemini errors: {"error":{"code","message","status","details":[{"reason"}]}}. A bad key is a 400
// INVALID_ARGUMENT (reason API_KEY_INVALID), not a 401, so the reason and message decide first.
import type { ProviderFailure } from '../types'
import { failureForStatus } from '../failure'
import type { GeminiErrorBody } from './wire'

const NAME = 'Google Gemini'
const BAD_KEY = /API key (not valid|expired)|API_KEY_INVALID/i

function statusFor(status: number, err: GeminiErrorBody['error']): number {
  const badKey = (Array.isArray(err?.details) && err.details.some(d => d?.reason === 'API_KEY_INVALID')) || BAD_KEY.test(err?.message ?? '')
  if (badKey || err?.status === 'PERMISSION_DENIED' || err?.status === 'UNAUTHENTICATED') return 401
  if (err?.status === 'RESOURCE_EXHAUSTED') return 429
  if (err?.status === 'UNAVAILABLE') return 503
  return status
}

export function geminiError(status: number, body: string): ProviderFailure {
  let err: GeminiErrorBody['error']
  try {
    err = (JSON.parse(body) as GeminiErrorBody)?.error
  }
  catch { /* not JSON: the status alone decides */ }
  const message = typeof err?.message === 'string' ? err.message : undefined
  return failureForStatus(NAME, statusFor(status, err), message)
}

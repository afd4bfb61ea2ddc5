// OpenAI error bodies are already OpenAI-shaped; only the status decides how the gateway reports them.
import type { ProviderFailure } from '../types'
import { failureForStatus } from '../failure'

/** The message and code of an OpenAI-shaped error body; a body that is not one gives neither. */
export function openaiErrorParts(body: string): { message?: string, code: string | null } {
  let message: string | undefined
  let code: string | null = null
  try {
    const parsed = JSON.parse(body)
    const err = parsed?.error
    if (typeof err?.message === 'string') message = err.message
    else if (typeof err === 'string') message = err
    // FastAPI servers (vLLM) answer {"detail": …} or {"message": …}.
    else if (parsed?.detail !== undefined) message = typeof parsed.detail === 'string' ? parsed.detail : JSON.stringify(parsed.detail)
    else if (typeof parsed?.message === 'string') message = parsed.message
    if (typeof err?.code === 'string') code = err.code
  }
  catch { /* not JSON: fall back to a generic message */ }
  return { message, code }
}

export function openaiError(status: number, body: string): ProviderFailure {
  const { message, code } = openaiErrorParts(body)
  return failureForStatus('OpenAI', status, message, code)
}

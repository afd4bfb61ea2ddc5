// OpenAI error bodies are already OpenAI-shaped; only the status decides how the gateway reports them.
import type { ProviderFailure } from '../types'
import { failureForStatus } from '../failure'

export function openaiError(status: number, body: string): ProviderFailure {
  let message: string | undefined
  let code: string | null = null
  try {
    const err = JSON.parse(body)?.error
    if (typeof err?.message === 'string') message = err.message
    if (typeof err?.code === 'string') code = err.code
  }
  catch { /* not JSON: fall back to a generic message */ }
  return failureForStatus('OpenAI', status, message, code)
}

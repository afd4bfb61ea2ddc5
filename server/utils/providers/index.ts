// The provider adapters the gateway knows, by registry provider id.
import type { ProviderId } from '../registry/schema'
import { openai } from './openai'
import type { ProviderAdapter } from './types'

export const adapters: Partial<Record<ProviderId, ProviderAdapter>> = {
  openai,
}

export const PROVIDER_LABELS: Record<ProviderId, string> = { openai: 'OpenAI', anthropic: 'Anthropic', google: 'Google Gemini' }

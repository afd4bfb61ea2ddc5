// The provider adapters the gateway knows, by registry provider id.
import type { ProviderId } from '../registry/schema'
import { anthropic } from './anthropic'
import { google } from './google'
import { openai } from './openai'
import type { ProviderAdapter } from './types'

export const adapters: Partial<Record<ProviderId, ProviderAdapter>> = {
  openai,
  anthropic,
  google,
}

// The provider adapters the gateway knows, by connection type. A new type is one entry here.
import { anthropic } from './anthropic'
import { google } from './google'
import { openai } from './openai'
import { openaiCompatible } from './openai-compatible'
import type { ProviderAdapter } from './types'

export const adapters = {
  'openai': openai,
  'openai-compatible': openaiCompatible,
  'anthropic': anthropic,
  // Servers that speak Anthropic's Messages API: the same requests, answers and streams.
  'anthropic-compatible': { ...anthropic, type: 'anthropic-compatible' },
  'google': google,
} satisfies Record<string, ProviderAdapter>

export type ConnectionType = keyof typeof adapters
export const CONNECTION_TYPES = Object.keys(adapters) as ConnectionType[]

export function adapterFor(type: string): ProviderAdapter | undefined {
  return (adapters as Record<string, ProviderAdapter>)[type]
}

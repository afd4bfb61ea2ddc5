// OpenAI responses are already in the client's shape: the body goes back as received, read only for usage.
import type { ChatResult, EmbeddingsResult } from '../types'
import { fromOpenAIUsage } from './usage'

export function chatResponse(upstreamBody: string): ChatResult {
  return { body: upstreamBody, usage: fromOpenAIUsage(JSON.parse(upstreamBody).usage) }
}

export function embeddingsResponse(upstreamBody: string): EmbeddingsResult {
  return { body: upstreamBody, usage: fromOpenAIUsage(JSON.parse(upstreamBody).usage) }
}

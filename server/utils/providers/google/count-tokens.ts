// Counting a chat request's input tokens without generating (models/{model}:countTokens): the whole
// generateContent request the chat call would send, so that its system instruction and tools count
// too (`contents` alone would leave them out).
import type { ChatCompletionRequest } from '../../dialects/openai'
import { jsonPost, type UpstreamRequest, type UpstreamTarget } from '../types'
import { googleApi } from './api'
import { chatRequest } from './request'

export function countTokensRequest(req: ChatCompletionRequest, target: UpstreamTarget): UpstreamRequest {
  const generateContentRequest = { model: `models/${target.model}`, ...JSON.parse(chatRequest(req, target, { stream: false }).body) }
  return jsonPost(googleApi.countTokens!(target, target.model), JSON.stringify({ generateContentRequest }))
}

export const countTokensResponse = (upstreamBody: string): number => JSON.parse(upstreamBody).totalTokens

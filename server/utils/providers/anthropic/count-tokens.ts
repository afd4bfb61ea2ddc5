// Counting a chat request's input tokens without generating (POST /v1/messages/count_tokens): the
// message request the chat call would send, kept to the fields that make up the prompt (the
// endpoint refuses the others, such as max_tokens).
import type { ChatCompletionRequest } from '../../dialects/openai'
import { jsonPost, type UpstreamRequest, type UpstreamTarget } from '../types'
import { anthropicApi } from './api'
import { chatRequest } from './request'

const PROMPT_FIELDS = ['model', 'system', 'messages', 'tools', 'tool_choice', 'thinking']

export function countTokensRequest(req: ChatCompletionRequest, target: UpstreamTarget): UpstreamRequest {
  const message = JSON.parse(chatRequest(req, target, { stream: false }).body)
  const body = Object.fromEntries(PROMPT_FIELDS.filter(k => message[k] !== undefined).map(k => [k, message[k]]))
  return jsonPost(anthropicApi.countTokens!(target, target.model), JSON.stringify(body))
}

export const countTokensResponse = (upstreamBody: string): number => JSON.parse(upstreamBody).input_tokens

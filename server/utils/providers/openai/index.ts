import type { ProviderAdapter } from '../types'
import { openaiError } from './error'
import { chatRequest, embeddingsRequest } from './request'
import { chatResponse, embeddingsResponse } from './response'
import { chatStream } from './stream'

export const openai: ProviderAdapter = {
  id: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  chat: {
    request: chatRequest,
    response: body => chatResponse(body),
    stream: (_target, opts) => chatStream(opts),
  },
  embeddings: {
    request: embeddingsRequest,
    response: body => embeddingsResponse(body),
  },
  error: openaiError,
}

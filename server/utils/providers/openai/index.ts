import type { ProviderAdapter } from '../types'
import { openaiApi } from './api'
import { openaiError } from './error'
import { chatRequest, embeddingsRequest } from './request'
import { chatResponse, embeddingsResponse } from './response'
import { chatStream } from './stream'

export const openai: ProviderAdapter = {
  type: 'openai',
  api: openaiApi,
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

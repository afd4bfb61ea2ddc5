// Any server that speaks OpenAI's chat and embeddings API. Answers and streams are OpenAI's shape and
// pass through as OpenAI's do; a stream that carries no usage is metered by counting (pipe-stream).
import type { ProviderAdapter } from '../types'
import { openaiApi } from '../openai/api'
import { chatResponse, embeddingsResponse } from '../openai/response'
import { chatStream } from '../openai/stream'
import { failureForStatus } from '../failure'
import { openaiErrorParts } from '../openai/error'
import { compatibleChatRequest, compatibleEmbeddingsRequest } from './request'
import { unsupportedField } from './unsupported-field'

export const openaiCompatible: ProviderAdapter = {
  type: 'openai-compatible',
  api: openaiApi,
  chat: {
    request: compatibleChatRequest,
    response: body => chatResponse(body),
    stream: (_target, opts) => chatStream(opts),
  },
  embeddings: {
    request: compatibleEmbeddingsRequest,
    response: body => embeddingsResponse(body),
  },
  error: (status, body) => {
    const { message, code } = openaiErrorParts(body)
    return failureForStatus('The provider', status, message, code)
  },
  unsupportedField,
}

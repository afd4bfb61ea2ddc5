// Any server that speaks OpenAI's chat and embeddings API. Answers and streams are OpenAI's shape and
// pass through as OpenAI's do; a stream that carries no usage is metered by counting (pipe-stream).
import type { ProviderAdapter, TranslatedAnswer } from '../types'
import { openaiApi } from '../openai/api'
import { chatResponse, embeddingsResponse } from '../openai/response'
import { chatStream } from '../openai/stream'
import { failureForStatus } from '../failure'
import { openaiErrorParts } from '../openai/error'
import { compatibleChatRequest, compatibleEmbeddingsRequest } from './request'
import { unsupportedField } from './unsupported-field'

/** Some servers send no usage at all: flagged, so that the gateway counts instead of billing zero tokens. */
function withMissingUsage(body: string, answer: TranslatedAnswer): TranslatedAnswer {
  return body.includes('"usage"') ? answer : { ...answer, usageMissing: true }
}

export const openaiCompatible: ProviderAdapter = {
  type: 'openai-compatible',
  api: openaiApi,
  chat: {
    request: compatibleChatRequest,
    response: body => withMissingUsage(body, chatResponse(body)),
    stream: (_target, opts) => chatStream(opts),
  },
  embeddings: {
    request: compatibleEmbeddingsRequest,
    response: body => withMissingUsage(body, embeddingsResponse(body)),
  },
  error: (status, body) => {
    const { message, code } = openaiErrorParts(body)
    return failureForStatus('The provider', status, message, code)
  },
  unsupportedField,
}

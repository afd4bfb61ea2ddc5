import type { ProviderAdapter } from '../types'
import { countTokensRequest, countTokensResponse } from './count-tokens'
import { googleApi } from './api'
import { embeddingsRequest, embeddingsResponse } from './embeddings'
import { geminiError } from './error'
import { chatRequest } from './request'
import { chatResponse } from './response'
import { chatStream } from './stream'

export const google: ProviderAdapter = {
  type: 'google',
  api: googleApi,
  chat: {
    request: chatRequest,
    response: chatResponse,
    stream: chatStream,
  },
  embeddings: {
    request: embeddingsRequest,
    response: embeddingsResponse,
  },
  countTokens: { request: countTokensRequest, response: countTokensResponse },
  error: geminiError,
}

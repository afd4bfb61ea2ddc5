import type { ProviderAdapter } from '../types'
import { countTokensRequest, countTokensResponse } from './count-tokens'
import { anthropicApi } from './api'
import { anthropicError } from './error'
import { chatRequest } from './request'
import { chatResponse } from './response'
import { chatStream } from './stream'

export const anthropic: ProviderAdapter = {
  type: 'anthropic',
  api: anthropicApi,
  chat: {
    request: chatRequest,
    response: chatResponse,
    stream: chatStream,
  },
  countTokens: { request: countTokensRequest, response: countTokensResponse },
  error: anthropicError,
}

import type { ProviderAdapter } from '../types'
import { anthropicError } from './error'
import { chatRequest } from './request'
import { chatResponse } from './response'
import { chatStream } from './stream'

export const anthropic: ProviderAdapter = {
  id: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com',
  chat: {
    request: chatRequest,
    response: chatResponse,
    stream: chatStream,
  },
  error: anthropicError,
}

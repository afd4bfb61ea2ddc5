import type { ProviderAdapter } from '../types'
import { embeddingsRequest, embeddingsResponse } from './embeddings'
import { geminiError } from './error'
import { chatRequest } from './request'
import { chatResponse } from './response'
import { chatStream } from './stream'

export const google: ProviderAdapter = {
  id: 'google',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  chat: {
    request: chatRequest,
    response: chatResponse,
    stream: chatStream,
  },
  embeddings: {
    request: embeddingsRequest,
    response: embeddingsResponse,
  },
  error: geminiError,
}

// The Gemini API (v1beta): methods on `models/{model}`, the key in a header, never in the URL.
import { connectionHeaders, type ProviderApi, type ProviderConnection } from '../types'

const base = (c: ProviderConnection) => c.baseUrl.replace(/\/+$/, '')
const auth = (c: ProviderConnection) => connectionHeaders(c, { 'x-goog-api-key': c.apiKey })
const method = (c: ProviderConnection, model: string, name: string) => ({ url: `${base(c)}/v1beta/models/${encodeURIComponent(model)}:${name}`, headers: auth(c) })

export const googleApi: ProviderApi = {
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  chat: (c, model, stream) => method(c, model, stream ? 'streamGenerateContent?alt=sse' : 'generateContent'),
  embeddings: (c, model, batch) => method(c, model, batch ? 'batchEmbedContents' : 'embedContent'),
  countTokens: (c, model) => method(c, model, 'countTokens'),
  models: (c, limit) => ({ url: `${base(c)}/v1beta/models?pageSize=${limit}`, headers: auth(c) }),
}

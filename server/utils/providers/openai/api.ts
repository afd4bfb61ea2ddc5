// OpenAI's HTTP API: a base URL that ends in its version (`…/v1`), bearer auth.
import { connectionHeaders, type ProviderApi, type ProviderConnection } from '../types'

const base = (c: ProviderConnection) => c.baseUrl.replace(/\/+$/, '')
const auth = (c: ProviderConnection) => connectionHeaders(c, { authorization: `Bearer ${c.apiKey}` })

export const openaiApi: ProviderApi = {
  defaultBaseUrl: 'https://api.openai.com/v1',
  chat: c => ({ url: `${base(c)}/chat/completions`, headers: auth(c) }),
  responses: c => ({ url: `${base(c)}/responses`, headers: auth(c) }),
  countTokens: c => ({ url: `${base(c)}/responses/input_tokens`, headers: auth(c) }),
  embeddings: c => ({ url: `${base(c)}/embeddings`, headers: auth(c) }),
  // OpenAI's model list has no page size: it is one page.
  models: c => ({ url: `${base(c)}/models`, headers: auth(c) }),
}

// Anthropic's HTTP API: the base URL without its version (one given with a trailing /v1 is accepted
// too), the key in x-api-key and the API version in a header.
import { connectionHeaders, type ProviderApi, type ProviderConnection } from '../types'

const ANTHROPIC_VERSION = '2023-06-01'

const base = (c: ProviderConnection) => c.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
const auth = (c: ProviderConnection) => ({ ...connectionHeaders(c, { 'x-api-key': c.apiKey }), 'anthropic-version': ANTHROPIC_VERSION })

export const anthropicApi: ProviderApi = {
  defaultBaseUrl: 'https://api.anthropic.com',
  chat: c => ({ url: `${base(c)}/v1/messages`, headers: auth(c) }),
  countTokens: c => ({ url: `${base(c)}/v1/messages/count_tokens`, headers: auth(c) }),
  models: (c, limit) => ({ url: `${base(c)}/v1/models?limit=${limit}`, headers: auth(c) }),
}

// A provider's own model-list API, when a credential is configured: Anthropic's display names map the
// names on its pricing page to API ids for models the maintained alias table does not know yet, and
// Anthropic's and Gemini's lists carry each model's context window and output limit, which fill the
// registry where the maintained data has none. The registry update asks for them (it knows no
// credentials itself).
import { consola } from 'consola'
import { errorMessage } from '../core/error-message'
import { providerAccess } from '../gateway/connections'
import { adapters } from '../providers'
import type { ModelLimits } from '../registry/merge'
import type { ProviderId } from '../registry/schema'
import type { ProviderModelList } from '../registry/update'

const TIMEOUT_MS = 10_000
const PAGE_SIZE = 1000

interface AnthropicModelList { data: { id: string, display_name?: string, max_input_tokens?: number | null, max_tokens?: number | null }[] }
interface GeminiModelList {
  models?: { name: string, inputTokenLimit?: number, outputTokenLimit?: number, supportedGenerationMethods?: string[] }[]
}

const EMPTY: ProviderModelList = { displayNames: {}, limits: {} }
const positive = (n: number | null | undefined) => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined)

async function listPage<T>(provider: 'anthropic' | 'google'): Promise<T | undefined> {
  const access = providerAccess(provider)
  if (!access) return undefined
  const { url, headers } = adapters[provider].api.models(access, PAGE_SIZE)
  // The request carries the credential: a redirect (to another origin or not) is refused, never followed.
  const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) })
  if (res.status >= 300 && res.status < 400) throw new Error(`the model list answered with a redirect (HTTP ${res.status}); not followed`)
  if (!res.ok) throw new Error(`the model list answered HTTP ${res.status}`)
  return await res.json() as T
}

async function anthropicModels(): Promise<ProviderModelList> {
  const list = await listPage<AnthropicModelList>('anthropic')
  if (!list) return EMPTY
  const limits: ModelLimits = {}
  for (const m of list.data) limits[m.id] = { contextWindow: positive(m.max_input_tokens), maxOutputTokens: positive(m.max_tokens) }
  return { displayNames: Object.fromEntries(list.data.filter(m => m.display_name).map(m => [m.display_name!, m.id])), limits }
}

async function geminiModels(): Promise<ProviderModelList> {
  const list = await listPage<GeminiModelList>('google')
  if (!list) return EMPTY
  const limits: ModelLimits = {}
  for (const m of list.models ?? []) {
    // An embedding model's outputTokenLimit is not a completion cap.
    const generates = m.supportedGenerationMethods?.includes('generateContent') ?? false
    limits[m.name.replace(/^models\//, '')] = { contextWindow: positive(m.inputTokenLimit), maxOutputTokens: generates ? positive(m.outputTokenLimit) : undefined }
  }
  return { displayNames: {}, limits }
}

const READERS: Partial<Record<ProviderId, () => Promise<ProviderModelList>>> = { anthropic: anthropicModels, google: geminiModels }

/** What a provider's model list adds to the maintained data; empty when there is no credential or the call fails. */
export async function providerModelList(provider: ProviderId): Promise<ProviderModelList> {
  const read = READERS[provider]
  if (!read) return EMPTY
  try {
    return await read()
  }
  catch (error) {
    consola.warn(`[registry] could not read ${provider}'s model list; using data/model-aliases.json only:`, errorMessage(error))
    return EMPTY
  }
}

// Translated requests fitted to their target from the registry: the built-in web search kept where
// the model runs it (and beside functions only where it takes both), left out with a warning
// elsewhere; capabilities from the entry over the provider's default; limits and capabilities kept
// and filled across registry scrapes.
import { describe, expect, it } from 'vitest'
import { ChatCompletionRequest } from '../../server/utils/dialects/openai'
import { fitChatRequest, fitIncludes } from '../../server/utils/gateway/fit-target'
import { toolCapabilities } from '../../server/utils/registry/capabilities'
import { mergeProvider } from '../../server/utils/registry/merge'
import type { ModelEntry } from '../../server/utils/registry/schema'
import seed from '../../data/models.json'

const model = (id: string) => seed.models.find(m => m.id === id) as ModelEntry
const chat = (body: Record<string, unknown>) => ChatCompletionRequest.parse({ model: 'x', messages: [{ role: 'user', content: 'hi' }], web_search_options: {}, ...body })
const fn = { type: 'function', function: { name: 'Read', parameters: { type: 'object' } } }

describe('fitChatRequest', () => {
  it('keeps web search for Claude, with or without functions', () => {
    const warnings: string[] = []
    expect(fitChatRequest(chat({ tools: [fn] }), model('claude-haiku-4-5'), warnings).web_search_options).toEqual({})
    expect(warnings).toEqual([])
  })

  it('keeps it for Gemini 2.5 alone, and leaves it out beside functions with a warning; Gemini 3 takes both', () => {
    const warnings: string[] = []
    expect(fitChatRequest(chat({}), model('gemini-2.5-flash'), warnings).web_search_options).toEqual({})
    const fitted = fitChatRequest(chat({ tools: [fn] }), model('gemini-2.5-flash'), warnings)
    expect(fitted).not.toHaveProperty('web_search_options')
    expect(fitted.tools).toHaveLength(1)
    expect(warnings).toEqual(['web_search left out: gemini-2.5-flash cannot search the web and call functions in one request'])
    expect(fitChatRequest(chat({ tools: [fn] }), model('gemini-3.5-flash'), []).web_search_options).toEqual({})
  })

  it('leaves it out for a model without web search, saying so', () => {
    const warnings: string[] = []
    expect(fitChatRequest(chat({}), model('gpt-4o-mini'), warnings)).not.toHaveProperty('web_search_options')
    expect(warnings).toEqual(['web_search left out: gpt-4o-mini has no web search'])
  })

  it('leaves out include items the answer cannot carry: any for translated answers, encrypted reasoning for OpenAI models that do not reason', () => {
    const warnings: string[] = []
    expect(fitIncludes(['reasoning.encrypted_content'], model('claude-haiku-4-5'), warnings)).toEqual([])
    expect(fitIncludes([], model('claude-haiku-4-5'), warnings)).toBeUndefined()
    expect(fitIncludes(['reasoning.encrypted_content', 'message.output_text.logprobs', 'some.new_item'], model('gpt-4o-mini'), warnings)).toEqual(['message.output_text.logprobs', 'some.new_item'])
    expect(fitIncludes(['reasoning.encrypted_content', 'some.new_item'], model('gpt-5-mini'), warnings)).toBeUndefined()
    expect(warnings).toEqual([
      'include reasoning.encrypted_content left out: claude-haiku-4-5 does not produce it',
      'include reasoning.encrypted_content left out: gpt-4o-mini does not produce it',
    ])
  })
})

describe('toolCapabilities', () => {
  it('takes the entry\'s capabilities over the provider default', () => {
    const haiku = model('claude-haiku-4-5')
    expect(toolCapabilities(haiku)).toEqual({ builtIn: ['web_search'], withFunctions: true })
    expect(toolCapabilities({ ...haiku, capabilities: { tools: { builtIn: [] } } })).toEqual({ builtIn: [], withFunctions: true })
  })
})

describe('registry limits across scrapes', () => {
  const now = '2026-12-07T00:00:00.000Z'
  const parsed = (id: string) => ({ id, mode: 'chat' as const, pricing: { input: 1, output: 2 } })

  it('keeps a model\'s limits, fills those it lacks, and gives an added model the known ones', () => {
    const known = { 'gemini-x': { contextWindow: 1000, maxOutputTokens: 100 }, 'gemini-new': { contextWindow: 2000, maxOutputTokens: 200, capabilities: { tools: { builtIn: ['web_search' as const], withFunctions: true } } } }
    const base = { provider: 'google' as const, mode: 'chat' as const, pricing: { input: 1, output: 2 }, aliases: [], status: 'active' as const, source: 'seed' as const, updatedAt: now }
    const models: ModelEntry[] = [{ ...base, id: 'gemini-x' }, { ...base, id: 'gemini-kept', contextWindow: 5, maxOutputTokens: 4 }]
    const merged = mergeProvider(models, 'google', [parsed('gemini-x'), parsed('gemini-kept'), parsed('gemini-new')], now, { ...known, 'gemini-kept': { contextWindow: 9, maxOutputTokens: 9 } })
    const byId = new Map(merged.models.map(m => [m.id, m]))
    expect(byId.get('gemini-x')).toMatchObject({ contextWindow: 1000, maxOutputTokens: 100 })
    expect(byId.get('gemini-kept')).toMatchObject({ contextWindow: 5, maxOutputTokens: 4 })
    expect(byId.get('gemini-new')).toMatchObject({ contextWindow: 2000, maxOutputTokens: 200, capabilities: { tools: { withFunctions: true } } })
  })

  it('the seed has limits for the models the agents\' tests use', () => {
    for (const id of ['gpt-4o-mini', 'claude-haiku-4-5', 'gemini-2.5-flash', 'gemini-3.5-flash']) expect(model(id).maxOutputTokens, id).toBeGreaterThan(0)
  })
})

// Which provider and model answer a model name: a route name first, then a `provider/model` prefix,
// then a registry id, then an alias; the key's allow-list; unknown models, the wrong kind of model
// and providers without a credential. The stored routes and credentials are given in place of the
// database; the registry, routes and credentials modules are the real ones.
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { reloadConnections } from '../../server/utils/gateway/connections'
import { resolveModel, resolveTargets } from '../../server/utils/gateway/resolve'
import { reloadRoutes } from '../../server/utils/gateway/routes'
import { adapters } from '../../server/utils/providers'
import type { ModelEntry, ProviderId } from '../../server/utils/registry/schema'
import { findModel, useRegistry } from '../../server/utils/registry/store'
import type { StoredRoute } from '../../server/utils/store/routes'
import { gatewayKey } from '../helpers/gateway-key'

vi.mock('../../server/utils/store/connections', () => ({
  loadConnections: async () => [
    { name: 'local', type: 'openai-compatible', preset: null, baseUrl: 'http://local.test/v1', apiKey: null, keyHint: null, headers: { 'x-team': 'a' }, sealedHeaders: [], updatedAt: 0 },
    { name: 'openai-eu', type: 'openai', preset: null, baseUrl: 'http://eu.test/v1', apiKey: 'sk-eu-unit', keyHint: 'unit', headers: {}, sealedHeaders: [], updatedAt: 0 },
  ],
}))
vi.mock('../../server/utils/store/routes', async importOriginal => ({
  ...await importOriginal<typeof import('../../server/utils/store/routes')>(),
  listStoredRoutes: async (): Promise<StoredRoute[]> => [
    { name: 'fast', strategy: 'fallback', targets: [{ model: 'claude-x' }, { model: 'openai/gpt-x' }], updatedAt: 0 },
    // A route's name wins over the alias it shadows.
    { name: 'claude-latest', strategy: 'fallback', targets: [{ model: 'gpt-x' }], updatedAt: 0 },
    { name: 'partly', strategy: 'fallback', targets: [{ model: 'gone-x' }, { model: 'gpt-x' }], updatedAt: 0 },
    { name: 'broken', strategy: 'fallback', targets: [{ model: 'gone-x' }, { model: 'gem-x' }], updatedAt: 0 },
  ],
}))

// Read by config() on its first call, which comes after these lines. Gemini has no credential.
vi.stubEnv('REDIS_URL', '')
vi.stubEnv('ROUTES_FILE', '')
vi.stubEnv('OPENAI_API_KEY', 'sk-openai-unit')
vi.stubEnv('OPENAI_BASE_URL', 'http://openai.test/v1')
vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-unit')
vi.stubEnv('ANTHROPIC_BASE_URL', '')
vi.stubEnv('GEMINI_API_KEY', '')

const model = (id: string, provider: ProviderId | string, mode: ModelEntry['mode'] = 'chat', aliases: string[] = []): ModelEntry =>
  ({ id, provider, mode, pricing: { input: 1, output: 2 }, aliases, status: 'active', source: 'seed', updatedAt: '2026-11-26T00:00:00.000Z' })

const MODELS: ModelEntry[] = [
  model('gpt-x', 'openai', 'chat', ['gpt-x-latest']),
  // An alias that is another model's id: the id wins.
  model('claude-x', 'anthropic', 'chat', ['claude-latest', 'gpt-x']),
  model('emb-x', 'openai', 'embedding'),
  model('gem-x', 'google'),
  model('org/tuned-x', 'openai'),
  model('gpt-4.1', 'openai'),
  // A snapshot priced by name on its page has its own entry.
  model('gpt-4.1-2025-01-01', 'openai'),
  model('claude-opus-4-6', 'anthropic'),
  model('claude-3-5-haiku-latest', 'anthropic'),
  model('gemini-2.0-flash', 'google'),
  // A connection's models: its own price, none, another model's times two, free; one of a deleted connection.
  model('local/m1', 'local'),
  { ...model('local/m2', 'local'), pricing: undefined, source: 'discovered' },
  { ...model('local/m3', 'local'), pricing: undefined, priceAs: { model: 'gpt-x', multiplier: 2 } },
  { ...model('local/org/deep', 'local'), pricing: undefined, free: true },
  model('gone/m', 'gone'),
]

beforeAll(async () => {
  useRegistry({ version: 1, updatedAt: '2026-11-26T00:00:00.000Z', sources: {}, models: MODELS })
  await Promise.all([reloadRoutes(), reloadConnections()])
})

/** provider/model of each target, in the order they would be tried. */
const names = (name: string, key = gatewayKey(), mode: ModelEntry['mode'] = 'chat') =>
  resolveTargets(name, key, mode).map(r => `${r.target.provider}/${r.target.model}`)
const failure = (fn: () => unknown) => {
  try {
    fn()
  }
  catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

describe('resolveTargets', () => {
  it('resolves a registry id to its provider, credential and base URL', () => {
    const [r, ...rest] = resolveTargets('gpt-x', gatewayKey(), 'chat')
    expect(rest).toEqual([])
    expect(r!.adapter).toBe(adapters.openai)
    expect(r!.target).toEqual({ provider: 'openai', model: 'gpt-x', entry: findModel('gpt-x'), baseUrl: 'http://openai.test/v1', apiKey: 'sk-openai-unit', headers: {} })
    // No base URL in the environment: the provider's own.
    expect(resolveTargets('claude-x', gatewayKey(), 'chat')[0]!.target).toMatchObject({ baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-unit' })
  })

  it('resolves an alias to the model id the provider knows, and an id before another model\'s alias', () => {
    expect(names('gpt-x-latest')).toEqual(['openai/gpt-x'])
    expect(names('gpt-x')).toEqual(['openai/gpt-x'])
  })

  it('takes a route name before any model or alias, its targets in order', () => {
    expect(names('fast')).toEqual(['anthropic/claude-x', 'openai/gpt-x'])
    expect(names('claude-latest')).toEqual(['openai/gpt-x'])
  })

  it('forces the provider of a prefix (any case, gemini meaning google) and refuses another provider\'s model', () => {
    expect(names('openai/gpt-x')).toEqual(['openai/gpt-x'])
    expect(names('OpenAI/gpt-x-latest')).toEqual(['openai/gpt-x'])
    expect(names('anthropic/claude-latest')).toEqual(['anthropic/claude-x'])
    expect(failure(() => names('anthropic/gpt-x'))).toMatchObject({ status: 404, code: 'model_not_found' })
    expect(failure(() => names('gemini/gem-x'))).toMatchObject({ status: 503, code: 'provider_not_configured' })
  })

  it('reads a name whose prefix is no provider as a whole registry id', () => {
    expect(names('org/tuned-x')).toEqual(['openai/org/tuned-x'])
  })

  it('answers an unknown model with OpenAI\'s 404', () => {
    const error = failure(() => names('gone-x'))
    expect(error).toMatchObject({ status: 404, type: 'not_found_error', code: 'model_not_found', param: 'model' })
    expect((error as Error).message).toBe('The model \'gone-x\' does not exist or you do not have access to it.')
  })

  it('refuses a model of the other kind, and a provider without a credential', () => {
    expect(failure(() => names('emb-x'))).toMatchObject({ status: 400, code: 'model_not_supported', param: 'model' })
    expect(failure(() => names('gpt-x', gatewayKey(), 'embedding'))).toMatchObject({ status: 400, code: 'model_not_supported' })
    expect(names('emb-x', gatewayKey(), 'embedding')).toEqual(['openai/emb-x'])
    expect(failure(() => names('gem-x'))).toMatchObject({ status: 503, type: 'service_unavailable', code: 'provider_not_configured' })
  })

  it('skips a route\'s targets that do not resolve, and fails with the first one\'s error when none does', () => {
    expect(names('partly')).toEqual(['openai/gpt-x'])
    expect(failure(() => names('broken'))).toMatchObject({ status: 404, code: 'model_not_found' })
  })
})

describe('snapshot ids', () => {
  const resolved = (name: string) => resolveTargets(name, gatewayKey(), 'chat')[0]!

  it('prices a dated id the registry does not list as its family, and sends it upstream as the client named it', () => {
    expect(resolved('gpt-4.1-2025-04-14').target).toMatchObject({ provider: 'openai', model: 'gpt-4.1-2025-04-14', entry: findModel('gpt-4.1') })
    expect(resolved('openai/gpt-4.1-2025-04-14').target).toMatchObject({ model: 'gpt-4.1-2025-04-14', entry: findModel('gpt-4.1') })
    expect(resolved('claude-opus-4-6-20260205').target).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-6-20260205', entry: findModel('claude-opus-4-6') })
    // Anthropic's older models are listed as `-latest`.
    expect(resolved('claude-3-5-haiku-20241022').target.entry).toBe(findModel('claude-3-5-haiku-latest'))
    // Gemini's stable versions: resolved (its provider has no credential in this test).
    expect(failure(() => resolved('gemini-2.0-flash-001'))).toMatchObject({ status: 503, code: 'provider_not_configured' })
  })

  it('keeps the entry of a snapshot priced by name, and the name the client sent', () => {
    expect(resolved('gpt-4.1-2025-01-01').target).toMatchObject({ model: 'gpt-4.1-2025-01-01', entry: findModel('gpt-4.1-2025-01-01') })
    expect(resolved('gpt-4.1-2025-04-14').requestedModel).toBe('gpt-4.1-2025-04-14')
    expect(resolveTargets('fast', gatewayKey(), 'chat').map(r => r.requestedModel)).toEqual(['fast', 'fast'])
  })

  it('follows each provider\'s own naming only, and only dates', () => {
    for (const name of ['gpt-4.1-20250414', 'claude-opus-4-6-2026-02-05', 'gpt-4.1-001', 'gpt-4.1-2025-04', 'gpt-4.1-preview', 'anthropic/gpt-4.1-2025-04-14', 'gone-x-2025-04-14']) {
      expect(failure(() => resolved(name)), name).toMatchObject({ status: 404, code: 'model_not_found' })
    }
  })
})

describe('the key\'s allow-list', () => {
  const allowed = (...models: string[]) => gatewayKey({ models })
  const refused = (name: string, key: ReturnType<typeof gatewayKey>) => failure(() => names(name, key))

  it('admits the name the key lists, or the model id an alias or prefix stands for', () => {
    expect(names('gpt-x', allowed('gpt-x'))).toEqual(['openai/gpt-x'])
    expect(names('gpt-x-latest', allowed('gpt-x'))).toEqual(['openai/gpt-x'])
    expect(names('openai/gpt-x', allowed('gpt-x'))).toEqual(['openai/gpt-x'])
    expect(names('gpt-x-latest', allowed('gpt-x-latest'))).toEqual(['openai/gpt-x'])
  })

  it('refuses any other model with a 403 naming it', () => {
    const error = refused('claude-x', allowed('gpt-x'))
    expect(error).toMatchObject({ status: 403, type: 'permission_error', code: 'model_not_allowed', param: 'model' })
    expect((error as Error).message).toBe('This API key is not allowed to use the model \'claude-x\'.')
    expect(refused('gpt-x', allowed('gpt-x-latest'))).toMatchObject({ status: 403 })
  })

  it('checks a route by its name only: listing the route admits its targets, listing a target does not admit the route', () => {
    expect(names('fast', allowed('fast'))).toEqual(['anthropic/claude-x', 'openai/gpt-x'])
    expect(refused('fast', allowed('claude-x', 'gpt-x'))).toMatchObject({ status: 403, code: 'model_not_allowed' })
  })

  it('is not checked when there is no key (a route\'s own targets)', () => {
    expect(resolveModel('claude-x', null, 'chat').target.model).toBe('claude-x')
  })
})

describe('connections', () => {
  it('resolves a connection\'s model to its server, key and headers, and the id without the prefix', () => {
    const [r] = resolveTargets('local/m1', gatewayKey(), 'chat')
    expect(r!.adapter).toBe(adapters['openai-compatible'])
    expect(r!.target).toEqual({ provider: 'local', model: 'm1', entry: findModel('local/m1'), baseUrl: 'http://local.test/v1', apiKey: '', headers: { 'x-team': 'a' } })
    expect(resolveTargets('local/org/deep', gatewayKey(), 'chat')[0]!.target.model).toBe('org/deep')
  })

  it('prices a model as another one times its multiplier, and a free one at zero', () => {
    expect(resolveTargets('local/m3', gatewayKey(), 'chat')[0]!.target.entry.pricing).toEqual({ input: 2, output: 4 })
    expect(resolveTargets('local/org/deep', gatewayKey(), 'chat')[0]!.target.entry.pricing).toEqual({ input: 0, output: 0 })
  })

  it('refuses an unpriced model with a 400 saying how to price it', () => {
    expect(failure(() => resolveTargets('local/m2', gatewayKey(), 'chat'))).toMatchObject({ status: 400, code: 'model_not_priced', message: expect.stringContaining('PUT /api/admin/models/local/m2') })
  })

  it('answers 404 for a model whose connection is gone, and for a name under a connection that it does not have', () => {
    expect(failure(() => resolveTargets('gone/m', gatewayKey(), 'chat'))).toMatchObject({ status: 404, code: 'model_not_found' })
    // No snapshot or other provider's model behind a connection's prefix.
    expect(failure(() => resolveTargets('local/gpt-4.1-2025-04-14', gatewayKey(), 'chat'))).toMatchObject({ status: 404, code: 'model_not_found' })
  })

  it('serves an official provider\'s models through another connection of its type, at that provider\'s prices', () => {
    const [r] = resolveTargets('openai-eu/gpt-x', gatewayKey(), 'chat')
    expect(r!.adapter).toBe(adapters.openai)
    expect(r!.target).toMatchObject({ provider: 'openai-eu', model: 'gpt-x', baseUrl: 'http://eu.test/v1', apiKey: 'sk-eu-unit' })
    expect(r!.target.entry).toBe(findModel('gpt-x'))
    expect(failure(() => resolveTargets('openai-eu/claude-x', gatewayKey(), 'chat'))).toMatchObject({ status: 404 })
  })
})

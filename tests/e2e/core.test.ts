// The gateway core end to end: the built server, a strict fake OpenAI upstream and the official
// openai SDK as the client.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeReply, fakeUsage, fakeVector, type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type GatewayProcess, readAllFiles, removeDir, startGateway } from '../helpers/gateway'

let fake: FakeOpenAI
let gw: GatewayProcess
let key: { id: string, key: string }
let client: OpenAI

const price = async (model: string) => (await gw.admin('GET', '/api/admin/models')).body.models.find((m: any) => m.id === model).pricing
const requestRow = async (id: string) => (await gw.admin('GET', '/api/admin/requests?limit=100')).body.data.find((r: any) => r.id === id)
const newKey = async (body: Record<string, unknown> = {}) => (await gw.admin('POST', '/api/admin/keys', { name: 'test', ...body })).body
const clientFor = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${gw.url}/v1`, maxRetries: 0 })

beforeAll(async () => {
  fake = await startFakeOpenAI()
  gw = await startGateway({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url })
  key = await newKey({ name: 'app' })
  client = clientFor(key.key)
})

afterAll(async () => {
  await gw?.stop()
  await fake?.close()
  if (gw) removeDir(gw.dataDir)
})

describe('keys', () => {
  it('issues sk-gw- keys once and lists them without the secret', async () => {
    expect(key.key).toMatch(/^sk-gw-[\w-]{32,}$/)
    const { body } = await gw.admin('GET', '/api/admin/keys')
    const listed = body.data.find((k: any) => k.id === key.id)
    expect(listed.name).toBe('app')
    expect(JSON.stringify(body)).not.toContain(key.key)
    expect(listed.keyHint).toBe(`sk-gw-…${key.key.slice(-4)}`)
  })

  it('refuses the admin API without the admin key', async () => {
    const res = await fetch(`${gw.url}/api/admin/keys`, { headers: { authorization: `Bearer ${key.key}` } })
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('invalid_admin_key')
  })
})

describe('/v1/models', () => {
  it('lists registry models of configured providers in OpenAI\'s shape', async () => {
    const ids: string[] = []
    for await (const m of client.models.list()) {
      ids.push(m.id)
      expect(m.object).toBe('model')
      expect(['openai', 'anthropic', 'google']).toContain(m.owned_by)
    }
    expect(ids).toContain('gpt-4o-mini')
    expect(ids).toContain('text-embedding-3-small')
    const one = await client.models.retrieve('gpt-4o-mini')
    expect(one).toMatchObject({ id: 'gpt-4o-mini', owned_by: 'openai' })
  })
})

describe('chat completions', () => {
  const messages = [{ role: 'system' as const, content: 'be brief' }, { role: 'user' as const, content: 'hello there gateway' }]

  it('answers non-streaming and meters the exact registry cost', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse()
    const completion = res.data
    expect(completion.choices[0]!.message.content).toBe(fakeReply(messages))
    expect(completion.usage).toMatchObject({ prompt_tokens: fakeUsage(messages, fakeReply(messages)).prompt_tokens })
    expect(res.response.headers.get('x-gateway-provider')).toBe('openai')
    const id = res.response.headers.get('x-request-id')!
    const row = await requestRow(id)
    const p = await price('gpt-4o-mini')
    expect(p).toMatchObject({ input: 0.15, cachedInput: 0.075, output: 0.6 })
    expect(row).toMatchObject({ keyId: key.id, provider: 'openai', model: 'gpt-4o-mini', status: 200, stream: false, promptTokens: completion.usage!.prompt_tokens, completionTokens: completion.usage!.completion_tokens })
    expect(row.costUsd).toBeCloseTo((completion.usage!.prompt_tokens * p.input + completion.usage!.completion_tokens * p.output) / 1e6, 15)
  })

  it('prices cached prompt tokens at the cached-input price', async () => {
    const cachedMessages = [{ role: 'user' as const, content: '[cached] a long shared prefix '.repeat(20) }]
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: cachedMessages }).withResponse()
    const u = res.data.usage!
    expect(u.prompt_tokens_details!.cached_tokens).toBeGreaterThan(0)
    const row = await requestRow(res.response.headers.get('x-request-id')!)
    const p = await price('gpt-4o-mini')
    const cached = u.prompt_tokens_details!.cached_tokens!
    expect(row.cachedTokens).toBe(cached)
    expect(row.costUsd).toBeCloseTo(((u.prompt_tokens - cached) * p.input + cached * p.cachedInput + u.completion_tokens * p.output) / 1e6, 15)
  })

  it('streams chunks without the usage chunk when the client did not ask, and still meters', async () => {
    const before = fake.requests.length
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })
    let text = ''
    let sawUsage = false
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk')
      text += chunk.choices[0]?.delta.content ?? ''
      if (chunk.usage) sawUsage = true
      expect(chunk.choices.length).toBe(1)
    }
    expect(text).toBe(fakeReply(messages))
    expect(sawUsage).toBe(false)
    // The gateway asked the upstream for usage anyway.
    expect(fake.requests.slice(before).at(-1)!.body.stream_options).toEqual({ include_usage: true })
    const rows = (await gw.admin('GET', '/api/admin/requests?limit=1')).body.data
    expect(rows[0]).toMatchObject({ stream: true, status: 200, promptTokens: fakeUsage(messages, text).prompt_tokens, completionTokens: fakeUsage(messages, text).completion_tokens })
    expect(rows[0].costUsd).toBeGreaterThan(0)
    expect(rows[0].ttftMs).not.toBeNull()
  })

  it('streams the usage chunk when the client asked for it', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } })
    const usages = []
    for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage)
    expect(usages).toHaveLength(1)
    expect(usages[0]!.prompt_tokens).toBe(fakeUsage(messages, fakeReply(messages)).prompt_tokens)
  })

  it('tells the gateway\'s own time without the upstream\'s, and a non-stream answer\'s exact cost', async () => {
    // The upstream takes 300 ms: the overhead header leaves that out.
    fake.faults.delayMs = 300
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse()
      .finally(() => { fake.faults.delayMs = 0 })
    const overhead = Number(res.response.headers.get('x-gateway-overhead-ms'))
    const row = await requestRow(res.response.headers.get('x-request-id')!)
    expect(row.latencyMs).toBeGreaterThanOrEqual(300)
    expect(overhead).toBeGreaterThanOrEqual(0)
    expect(overhead).toBeLessThan(row.latencyMs - 250)
    // Exact to the nano-dollar, in a decimal string.
    expect(res.response.headers.get('x-gateway-cost-usd')).toMatch(/^\d+(\.\d{1,9})?$/)
    expect(Math.round(Number(res.response.headers.get('x-gateway-cost-usd')) * 1e9)).toBe(row.costNanoUsd)

    // A stream's headers leave before its cost is known: the overhead only.
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }).withResponse()
    for await (const _ of stream.data) { /* drain */ }
    expect(Number(stream.response.headers.get('x-gateway-overhead-ms'))).toBeGreaterThanOrEqual(0)
    expect(stream.response.headers.has('x-gateway-cost-usd')).toBe(false)
  })

  it('exposes the gateway headers to browsers through CORS', async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key.key}`, origin: 'http://localhost:3000' } })
    const exposed = res.headers.get('access-control-expose-headers') ?? ''
    for (const h of ['x-gateway-overhead-ms', 'x-gateway-cost-usd', 'x-gateway-warning']) expect(exposed).toContain(h)
  })

  it('forces a provider with provider/model', async () => {
    const res = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages })
    expect(res.choices[0]!.message.content).toBe(fakeReply(messages))
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4o-mini')
  })

  it('sends the provider credential upstream and never the gateway key', async () => {
    const chatRequests = fake.requests.filter(r => r.path === '/v1/chat/completions')
    expect(chatRequests.length).toBeGreaterThan(0)
    for (const r of chatRequests) {
      expect(r.headers.authorization).toBe(`Bearer ${fake.apiKey}`)
      expect(JSON.stringify(r.headers)).not.toContain('sk-gw-')
    }
  })
})

describe('embeddings', () => {
  it('passes the SDK\'s base64 encoding through and meters input tokens', async () => {
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha beta', 'gamma'] }).withResponse()
    expect(fake.requests.at(-1)!.body.encoding_format).toBe('base64')
    expect(res.data.data).toHaveLength(2)
    const expected = fakeVector('alpha beta', 8)
    res.data.data[0]!.embedding.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6))
    const row = await requestRow(res.response.headers.get('x-request-id')!)
    expect(row).toMatchObject({ endpoint: 'embeddings', promptTokens: 3, completionTokens: 0 })
    expect(row.costUsd).toBeCloseTo(3 * (await price('text-embedding-3-small')).input / 1e6, 15)
  })
})

describe('errors in OpenAI\'s shape', () => {
  it('401 for a wrong key', async () => {
    const err = await clientFor('sk-gw-not-a-real-key-000000000000000000000').models.list().catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(err.code).toBe('invalid_api_key')
  })

  it('401 for a key revoked a moment ago', async () => {
    const k = await newKey()
    const c = clientFor(k.key)
    await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
    expect((await gw.admin('DELETE', `/api/admin/keys/${k.id}`)).status).toBe(200)
    const err = await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(err.code).toBe('revoked_api_key')
  })

  it('404 model_not_found naming the model', async () => {
    const err = await client.chat.completions.create({ model: 'gpt-nonexistent-9', messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.NotFoundError)
    expect(err.code).toBe('model_not_found')
    expect(err.message).toContain('gpt-nonexistent-9')
  })

  it('400 for malformed JSON', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'authorization': `Bearer ${key.key}`, 'content-type': 'application/json' }, body: '{"model": "gpt-4o-mini", "messages": [' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_json' } })
  })

  it('400 naming the missing field when messages is absent', async () => {
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini' } as any).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err.param).toBe('messages')
    expect(err.message).toContain('messages')
  })

  it('400 naming a nested field', async () => {
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'wizard', content: 'x' }] } as any).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err.param).toBe('messages[0].role')
  })

  it('403 for a model outside the key\'s allow-list', async () => {
    const k = await newKey({ models: ['text-embedding-3-small'] })
    const err = await clientFor(k.key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError)
    expect(err.code).toBe('model_not_allowed')
    const models = []
    for await (const m of clientFor(k.key).models.list()) models.push(m.id)
    expect(models).toEqual(['text-embedding-3-small'])
  })

  it('429 budget_exceeded once what is left of a key\'s budget cannot cover a request', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'spend it' }], max_tokens: 5 }
    // The most the request can cost (gpt-4o-mini: $0.15 and $0.6 per 1M): the budget allows it once.
    const estimate = (Math.ceil(JSON.stringify(body).length / 3) * 0.15 + 5 * 0.6) / 1e6
    const k = await newKey({ budgetUsd: estimate * 1.01 })
    const c = clientFor(k.key)
    await c.chat.completions.create(body)
    const err = await c.chat.completions.create(body).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    expect(err.code).toBe('budget_exceeded')
  })

  it('429 with Retry-After past the key\'s rpm', async () => {
    const k = await newKey({ rpm: 2 })
    const c = clientFor(k.key)
    for (let i = 0; i < 2; i++) await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
    const err = await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    expect(err.code).toBe('rate_limit_exceeded')
    expect(Number(err.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('401 for an expired key', async () => {
    const k = await newKey({ expiresAt: new Date(Date.now() - 1000).toISOString() })
    const err = await clientFor(k.key).models.list().catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(err.code).toBe('expired_api_key')
  })

  it('404 in OpenAI\'s shape for an unknown /v1 URL', async () => {
    const res = await fetch(`${gw.url}/v1/no/such/thing`, { headers: { authorization: `Bearer ${key.key}` } })
    expect(res.status).toBe(404)
    expect((await res.json()).error.type).toBe('invalid_request_error')
  })
})

describe('provider credentials', () => {
  it('stores a credential encrypted, shows only a hint, and prefers it over the environment', async () => {
    const stored = 'sk-fake-openai-provider-key-0123456789'
    const put = await gw.admin('PUT', '/api/admin/providers/openai', { apiKey: stored, baseUrl: fake.url })
    expect(put.status).toBe(200)
    const { body } = await gw.admin('GET', '/api/admin/providers')
    const openai = body.data.find((p: any) => p.provider === 'openai')
    expect(openai).toMatchObject({ configured: true, source: 'db', keyHint: stored.slice(-4) })
    expect(JSON.stringify(body)).not.toContain(stored)
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'via stored key' }] })
    expect(res.choices[0]!.message.content).toBe('echo: key stored via')
  })

  it('reports an upstream credential failure as a 502 without leaking the credential', async () => {
    const wrong = 'sk-wrong-provider-key-abcdefghijklmnop'
    await gw.admin('PUT', '/api/admin/providers/openai', { apiKey: wrong, baseUrl: fake.url })
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'authorization': `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) })
    const text = await res.text()
    expect(res.status).toBe(502)
    expect(JSON.parse(text).error.code).toBe('upstream_auth_failed')
    expect(text).not.toContain(wrong.slice(0, 10))
    expect(text).not.toContain(wrong.slice(-4))
    expect((await gw.admin('DELETE', '/api/admin/providers/openai')).status).toBe(200)
    const { body } = await gw.admin('GET', '/api/admin/providers')
    expect(body.data.find((p: any) => p.provider === 'openai')).toMatchObject({ source: 'env' })
  })

  it('rejects an unknown provider', async () => {
    expect((await gw.admin('PUT', '/api/admin/providers/nope', { apiKey: 'x' })).status).toBe(404)
  })
})

describe('usage and the request log', () => {
  it('paginates the log newest first with a cursor', async () => {
    const first = (await gw.admin('GET', '/api/admin/requests?limit=2')).body
    expect(first.data).toHaveLength(2)
    expect(Date.parse(first.data[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(first.data[1].createdAt))
    const second = (await gw.admin('GET', `/api/admin/requests?limit=2&cursor=${first.nextCursor}`)).body
    expect(second.data[0].id).not.toBe(first.data[1].id)
    expect(Date.parse(second.data[0].createdAt)).toBeLessThanOrEqual(Date.parse(first.data[1].createdAt))
    const byKey = (await gw.admin('GET', `/api/admin/requests?limit=500&keyId=${key.id}`)).body.data
    expect(byKey.every((r: any) => r.keyId === key.id)).toBe(true)
  })

  it('sums usage by model from the rollups, equal to the log', async () => {
    const log = (await gw.admin('GET', '/api/admin/requests?limit=500')).body.data
    const { body } = await gw.admin('GET', '/api/admin/usage?groupBy=model')
    const mini = body.data.find((r: any) => r.model === 'gpt-4o-mini')
    const rows = log.filter((r: any) => r.model === 'gpt-4o-mini')
    expect(mini.requests).toBe(rows.length)
    expect(mini.costUsd).toBeCloseTo(rows.reduce((s: number, r: any) => s + r.costUsd, 0), 12)
    expect(mini.promptTokens).toBe(rows.reduce((s: number, r: any) => s + r.promptTokens, 0))
  })

  it('keeps no provider key or gateway key in clear under DATA_DIR', async () => {
    await gw.admin('PUT', '/api/admin/providers/openai', { apiKey: fake.apiKey, baseUrl: fake.url })
    await gw.stop()
    const everything = readAllFiles(gw.dataDir)
    expect(everything.length).toBeGreaterThan(0)
    expect(everything).not.toContain(fake.apiKey)
    expect(everything).not.toContain(key.key)
    expect(everything).not.toContain(gw.adminKey)
    await gw.restart()
    // After a restart the stored credential still decrypts and the log survived.
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'after restart' }] })
    expect(res.choices[0]!.message.content).toBe('echo: restart after')
    expect((await gw.admin('GET', '/api/admin/requests?limit=500')).body.data.length).toBeGreaterThan(10)
  })
})

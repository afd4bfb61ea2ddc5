// Provider connections end to end: OpenAI-compatible servers in three behaviours (strict, no usage in
// streams, Ollama), an Anthropic-compatible one, discovery, price sources (manual, priceAs, free),
// unpriced models refused, the Responses and Conversations APIs through a connection, two connections
// of one type each with its own key, a route falling back across connections, and a deleted connection's model. The built gateway, strict fakes, and the
// official openai and @anthropic-ai/sdk clients.
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeAnthropic, startFakeAnthropic } from '../helpers/fake-anthropic'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type FakeCompatible, startFakeCompatible } from '../helpers/fake-openai-compatible'
import { registryCost } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, requestRow, startGateway } from '../helpers/gateway'

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}
const ask = (content: string) => [{ role: 'user' as const, content }]

let openaiFake: FakeOpenAI
let strict: FakeCompatible
let strictB: FakeCompatible
let noUsage: FakeCompatible
let ollama: FakeCompatible
let claudeLike: FakeAnthropic
let gw: GatewayProcess
let client: OpenAI
let anthropic: Anthropic
let gatewayKey: string

const rowOf = (requestId: string | null) => requestRow(gw, requestId)

async function streamed(params: Record<string, unknown>) {
  const { data: stream, response } = await client.chat.completions.create({ ...params, stream: true } as any).withResponse()
  const chunks: any[] = []
  for await (const c of stream as any) chunks.push(c)
  return { chunks, requestId: response.headers.get('x-request-id'), text: chunks.map(c => c.choices[0]?.delta?.content ?? '').join('') }
}

/** Nano-dollars of tokens at USD-per-1M prices, as the registry's exact arithmetic. */
const nano = (lines: [tokens: number, usdPerMillion: number][]) => Number((lines.reduce((s, [t, p]) => s + BigInt(t) * BigInt(Math.round(p * 1e6)), 0n) + 500n) / 1000n)

beforeAll(async () => {
  ;[openaiFake, strict, strictB, noUsage, ollama, claudeLike] = await Promise.all([
    startFakeOpenAI(),
    startFakeCompatible({ behaviour: 'strict', apiKey: 'sk-strict-a-0123456789abcdef' }),
    startFakeCompatible({ behaviour: 'strict', apiKey: 'sk-strict-b-0123456789abcdef' }),
    startFakeCompatible({ behaviour: 'no-usage', apiKey: 'sk-nousage-0123456789abcdef', models: ['qwen3:8b'] }),
    startFakeCompatible({ behaviour: 'ollama' }),
    startFakeAnthropic('sk-claude-like-0123456789abcdef'),
  ])
  gw = await startGateway({ OPENAI_API_KEY: openaiFake.apiKey, OPENAI_BASE_URL: openaiFake.url, UPSTREAM_MAX_RETRIES: '0' })
  gatewayKey = (await gw.admin('POST', '/api/admin/keys', { name: 'connections' })).body.key
  client = new OpenAI({ apiKey: gatewayKey, baseURL: `${gw.url}/v1`, maxRetries: 0 })
  anthropic = new Anthropic({ apiKey: gatewayKey, baseURL: gw.url, maxRetries: 0 })
  const put = (name: string, body: unknown) => gw.admin('PUT', `/api/admin/providers/${name}`, body)
  expect((await put('strict', { type: 'openai-compatible', baseUrl: strict.url, apiKey: strict.apiKey, headers: { 'x-team': 'alpha', 'x-proxy-key': 'proxy-secret-value-0123456789' } })).status).toBe(200)
  expect((await put('strict-b', { type: 'openai-compatible', baseUrl: strictB.url, apiKey: strictB.apiKey })).status).toBe(200)
  expect((await put('nousage', { type: 'openai-compatible', baseUrl: noUsage.url, apiKey: noUsage.apiKey })).status).toBe(200)
  expect((await put('ollama', { type: 'openai-compatible', preset: 'ollama', baseUrl: ollama.url })).status).toBe(200)
  expect((await put('claude-like', { type: 'anthropic-compatible', baseUrl: claudeLike.url, apiKey: claudeLike.apiKey })).status).toBe(200)
})

afterAll(async () => {
  await gw?.stop()
  await Promise.all([openaiFake, strict, strictB, noUsage, ollama, claudeLike].map(f => f?.close()))
  if (gw) removeDir(gw.dataDir)
})

describe('connections in the admin API', () => {
  it('lists connections with their type and a hint, never a key or a credential header', async () => {
    const { body } = await gw.admin('GET', '/api/admin/providers')
    const text = JSON.stringify(body)
    for (const secret of [strict.apiKey!, strictB.apiKey!, noUsage.apiKey!, claudeLike.apiKey, 'proxy-secret-value-0123456789']) expect(text).not.toContain(secret)
    expect(body.data.map((p: any) => p.provider)).toEqual(['openai', 'anthropic', 'google', 'claude-like', 'nousage', 'ollama', 'strict', 'strict-b'])
    expect(body.data.find((p: any) => p.provider === 'strict')).toMatchObject({
      type: 'openai-compatible', configured: true, source: 'db', keyHint: 'cdef', baseUrl: strict.url, headers: { 'x-team': 'alpha', 'x-proxy-key': '…6789' },
    })
    expect(body.data.find((p: any) => p.provider === 'ollama')).toMatchObject({ type: 'openai-compatible', preset: 'ollama', keyHint: null })
  })

  it('fills the base URL from a preset, and refuses what cannot be a connection', async () => {
    const groq = await gw.admin('PUT', '/api/admin/providers/groq', { type: 'openai-compatible', preset: 'groq', apiKey: 'gsk_fake-groq-key-0123456789' })
    expect(groq.body).toMatchObject({ provider: 'groq', baseUrl: 'https://api.groq.com/openai/v1', preset: 'groq' })
    expect((await gw.admin('DELETE', '/api/admin/providers/groq')).status).toBe(200)
    expect((await gw.admin('PUT', '/api/admin/providers/Not_A_Slug', { type: 'openai-compatible', baseUrl: strict.url })).status).toBe(404)
    const noBase = await gw.admin('PUT', '/api/admin/providers/vllm', { type: 'openai-compatible' })
    expect(noBase).toMatchObject({ status: 400, body: { error: { code: 'invalid_connection', param: 'baseUrl' } } })
    const official = await gw.admin('PUT', '/api/admin/providers/openai', { type: 'openai-compatible', baseUrl: strict.url })
    expect(official).toMatchObject({ status: 400, body: { error: { param: 'type' } } })
    const hostHeader = await gw.admin('PUT', '/api/admin/providers/vllm', { type: 'openai-compatible', baseUrl: strict.url, headers: { Host: 'evil.test' } })
    expect(hostHeader.status).toBe(400)
    expect((await gw.admin('PUT', '/api/admin/providers/vllm', { type: 'azure-ish', baseUrl: strict.url })).status).toBe(400)
  })

  it('discovers models from /v1/models, and from Ollama\'s /api/tags', async () => {
    const found = await gw.admin('POST', '/api/admin/providers/strict/discover')
    expect(found.body).toMatchObject({ provider: 'strict', source: '/v1/models', found: 2, added: ['strict/llama3.3', 'strict/qwen3:8b'], known: [] })
    const tags = await gw.admin('POST', '/api/admin/providers/ollama/discover')
    expect(tags.body).toMatchObject({ source: '/api/tags', added: ['ollama/llama3.3', 'ollama/qwen3:8b'] })
    expect(ollama.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/tags' })
    // Again: nothing new.
    expect((await gw.admin('POST', '/api/admin/providers/strict/discover')).body).toMatchObject({ added: [], known: ['strict/llama3.3', 'strict/qwen3:8b'] })
    const models = (await gw.admin('GET', '/api/admin/models')).body.models
    expect(models.find((m: any) => m.id === 'ollama/llama3.3')).toMatchObject({ provider: 'ollama', mode: 'chat', source: 'discovered' })
    expect(models.find((m: any) => m.id === 'ollama/llama3.3').pricing).toBeUndefined()
    expect((await gw.admin('POST', '/api/admin/providers/openai/discover')).status).toBe(409)
  })
})

describe('unpriced models', () => {
  it('refuses a model without a price with a 400 naming it and how to price it', async () => {
    const error = await client.chat.completions.create({ model: 'strict/qwen3:8b', messages: ask('hi') }).catch(e => e)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect(error.code).toBe('model_not_priced')
    expect(error.message).toContain('strict/qwen3:8b')
    expect(error.message).toContain('PUT /api/admin/models/strict/qwen3:8b')
    expect(error.message).toContain('UNPRICED_MODELS=allow')
    expect(strict.requests.filter(r => r.path === '/v1/chat/completions')).toHaveLength(0)
  })

  it('takes a price for a connection\'s model, creating its entry when discovery has not', async () => {
    const manual = await gw.admin('PUT', '/api/admin/models/strict/llama3.3', { pricing: { input: 0.5, output: 1.5 } })
    expect(manual.body).toMatchObject({ id: 'strict/llama3.3', provider: 'strict', source: 'manual', pricing: { input: 0.5, output: 1.5 } })
    expect((await gw.admin('PUT', '/api/admin/models/strict-b/llama3.3', { pricing: { input: 0.25, output: 0.75 } })).status).toBe(200)
    const priceAs = await gw.admin('PUT', '/api/admin/models/nousage/qwen3:8b', { priceAs: { model: 'gpt-4o-mini', multiplier: 2 } })
    expect(priceAs.body).toMatchObject({ id: 'nousage/qwen3:8b', mode: 'chat', priceAs: { model: 'gpt-4o-mini', multiplier: 2 } })
    expect((await gw.admin('PUT', '/api/admin/models/ollama/llama3.3', { free: true })).body).toMatchObject({ free: true })
    expect((await gw.admin('PUT', '/api/admin/models/claude-like/glm-4.6', { pricing: { input: 0.6, output: 2.2 } })).status).toBe(200)
    expect((await gw.admin('PUT', '/api/admin/models/ollama/x', { priceAs: { model: 'no-such-model' } })).status).toBe(400)
    expect((await gw.admin('PUT', '/api/admin/models/nowhere/x', { free: true })).status).toBe(404)
    expect((await gw.admin('PUT', '/api/admin/models/openai/gpt-4o', { free: true })).status).toBe(409)
  })
})

describe('a strict server (refuses unknown fields)', () => {
  it('learns a refused field from the 400 naming it, retries without it once, and never sends it again', async () => {
    const before = strict.requests.length
    const params = { model: 'strict/llama3.3', messages: ask('weather in Paris?'), tools: [weatherTool], parallel_tool_calls: false }
    const { data: res, response } = await client.chat.completions.create(params).withResponse()
    expect(res.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] } })
    const sent = strict.requests.slice(before)
    expect(sent).toHaveLength(2)
    expect(sent[0]!.body).toMatchObject({ model: 'llama3.3', parallel_tool_calls: false })
    expect(sent[1]!.body.parallel_tool_calls).toBeUndefined()
    expect(sent[1]!.headers).toMatchObject({ 'authorization': `Bearer ${strict.apiKey}`, 'x-team': 'alpha', 'x-proxy-key': 'proxy-secret-value-0123456789' })
    // Remembered: the next request goes out once, without it.
    await client.chat.completions.create(params)
    expect(strict.requests.slice(before + 2)).toHaveLength(1)
    expect(strict.requests.at(-1)!.body.parallel_tool_calls).toBeUndefined()
    const row = await rowOf(response.headers.get('x-request-id'))
    expect(row).toMatchObject({ provider: 'strict', model: 'strict/llama3.3', status: 200, estimated: false, unpriced: false })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
    expect(row.costNanoUsd).toBeGreaterThan(0)
  })

  it('streams after learning that it refuses stream_options, metered from the usage it sends', async () => {
    const before = strict.requests.length
    const { text, requestId } = await streamed({ model: 'strict/llama3.3', messages: ask('one two three') })
    expect(text).toBe('echo: three two one')
    const sent = strict.requests.slice(before)
    expect(sent.map(r => Object.keys(r.body).includes('stream_options'))).toEqual([true, false])
    const row = await rowOf(requestId)
    expect(row).toMatchObject({ stream: true, estimated: false, promptTokens: 10, completionTokens: 4 })
    expect(row.costNanoUsd).toBe(nano([[10, 0.5], [4, 1.5]]))
  })

  it('streams a tool call answered in one chunk', async () => {
    const { chunks } = await streamed({ model: 'strict/llama3.3', messages: ask('weather in Paris?'), tools: [weatherTool] })
    const calls = chunks.flatMap(c => c.choices[0]?.delta?.tool_calls ?? [])
    expect(calls).toEqual([expect.objectContaining({ index: 0, function: expect.objectContaining({ name: 'get_weather', arguments: '{"city":"Paris"}' }) })])
    expect(chunks.map(c => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(['tool_calls'])
  })
})

describe('a server that sends no usage in streams', () => {
  it('meters a stream by counting, flagged estimated, at the priceAs price', async () => {
    const { text, requestId } = await streamed({ model: 'nousage/qwen3:8b', messages: ask('count these words please') })
    expect(text).toBe('echo: please words these count')
    const row = await rowOf(requestId)
    expect(row).toMatchObject({ provider: 'nousage', model: 'nousage/qwen3:8b', estimated: true, unpriced: false })
    expect(row.promptTokens).toBeGreaterThan(0)
    expect(row.completionTokens).toBeGreaterThan(0)
    const mini = (await gw.admin('GET', '/api/admin/models')).body.models.find((m: any) => m.id === 'gpt-4o-mini').pricing
    expect(row.costNanoUsd).toBe(nano([[row.promptTokens, mini.input * 2], [row.completionTokens, mini.output * 2]]))
  })

  it('meters an answer from its usage, exactly, and streams a tool call', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'nousage/qwen3:8b', messages: ask('a b c') }).withResponse()
    expect(data.choices[0]!.message.content).toBe('echo: c b a')
    const row = await rowOf(response.headers.get('x-request-id'))
    const mini = (await gw.admin('GET', '/api/admin/models')).body.models.find((m: any) => m.id === 'gpt-4o-mini').pricing
    expect(row).toMatchObject({ estimated: false, promptTokens: data.usage!.prompt_tokens, completionTokens: data.usage!.completion_tokens })
    expect(row.costNanoUsd).toBe(nano([[row.promptTokens, mini.input * 2], [row.completionTokens, mini.output * 2]]))
    const { chunks } = await streamed({ model: 'nousage/qwen3:8b', messages: ask('weather in Paris?'), tools: [weatherTool] })
    expect(chunks.flatMap(c => c.choices[0]?.delta?.tool_calls ?? [])[0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } })
  })
})

describe('a server that sends no usage at all', () => {
  it('meters an answer by counting, flagged estimated, on /v1/chat/completions and /v1/messages', async () => {
    const bare = await startFakeCompatible({ behaviour: 'no-usage', answersWithoutUsage: true, models: ['tiny'] })
    try {
      await gw.admin('PUT', '/api/admin/providers/bare', { type: 'openai-compatible', baseUrl: bare.url })
      await gw.admin('PUT', '/api/admin/models/bare/tiny', { pricing: { input: 1, output: 2 } })
      const { data, response } = await client.chat.completions.create({ model: 'bare/tiny', messages: ask('count me too') }).withResponse()
      expect(data.choices[0]!.message.content).toBe('echo: too me count')
      const row = await rowOf(response.headers.get('x-request-id'))
      expect(row).toMatchObject({ estimated: true, unpriced: false })
      expect(row.promptTokens).toBeGreaterThan(0)
      expect(row.completionTokens).toBeGreaterThan(0)
      expect(row.costNanoUsd).toBe(nano([[row.promptTokens, 1], [row.completionTokens, 2]]))
      const { data: msg, response: raw } = await anthropic.messages.create({ model: 'bare/tiny', max_tokens: 50, messages: ask('via messages') }).withResponse()
      expect(msg.content[0]).toMatchObject({ text: 'echo: messages via' })
      expect(await rowOf(raw.headers.get('x-request-id'))).toMatchObject({ endpoint: 'messages', estimated: true })
    }
    finally {
      await gw.admin('DELETE', '/api/admin/providers/bare')
      await bare.close()
    }
  })
})

describe('Ollama (no key, free model)', () => {
  it('answers streamed and not, sends no key, bills $0 on purpose', async () => {
    const res = await client.chat.completions.create({ model: 'ollama/llama3.3', messages: ask('hi there') })
    expect(res.choices[0]!.message.content).toBe('echo: there hi')
    const call = ollama.requests.at(-1)!
    expect(call).toMatchObject({ path: '/v1/chat/completions', body: { model: 'llama3.3' } })
    expect(call.headers.authorization).toBeUndefined()
    const { text, requestId } = await streamed({ model: 'ollama/llama3.3', messages: ask('stream me') })
    expect(text).toBe('echo: me stream')
    const row = await rowOf(requestId)
    expect(row).toMatchObject({ provider: 'ollama', costNanoUsd: 0, costUsd: 0, estimated: false, unpriced: false, promptTokens: 9, completionTokens: 3 })
    const { chunks } = await streamed({ model: 'ollama/llama3.3', messages: ask('weather in Paris?'), tools: [weatherTool] })
    expect(chunks.flatMap(c => c.choices[0]?.delta?.tool_calls ?? [])[0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } })
  })

  it('lists each connection\'s models in /v1/models, owned by the connection', async () => {
    const list = (await client.models.list()).data
    expect(list.find(m => m.id === 'ollama/llama3.3')).toMatchObject({ owned_by: 'ollama' })
    expect(list.find(m => m.id === 'strict/llama3.3')).toMatchObject({ owned_by: 'strict' })
    expect(list.find(m => m.id === 'gpt-4o-mini')).toMatchObject({ owned_by: 'openai' })
    expect((await client.models.retrieve('ollama/llama3.3')).owned_by).toBe('ollama')
  })
})

describe('the Responses and Conversations APIs through a connection', () => {
  const chatCalls = () => ollama.requests.filter(r => r.path === '/v1/chat/completions')

  it('translates a response through chat for an OpenAI-compatible server, streamed and not, and continues it', async () => {
    const before = chatCalls().length
    const { data: first, response } = await client.responses.create({ model: 'ollama/llama3.3', input: 'hi there', instructions: 'Be brief.' }).withResponse()
    expect(first).toMatchObject({ object: 'response', status: 'completed', model: 'ollama/llama3.3' })
    expect(first.output_text).toBe('echo: there hi')
    const sent = chatCalls().slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toMatchObject({ model: 'llama3.3', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi there' }] })
    expect(sent[0]!.headers.authorization).toBeUndefined()
    expect(await rowOf(response.headers.get('x-request-id'))).toMatchObject({ endpoint: 'responses', provider: 'ollama', model: 'ollama/llama3.3', status: 200, costNanoUsd: 0, unpriced: false })

    // The gateway keeps the response and sends the server the conversation it continues.
    const next = await client.responses.create({ model: 'ollama/llama3.3', input: 'and again', previous_response_id: first.id })
    expect(next.output_text).toBe('echo: again and')
    expect(chatCalls().at(-1)!.body.messages.map((m: any) => [m.role, m.content])).toEqual([['user', 'hi there'], ['assistant', 'echo: there hi'], ['user', 'and again']])
    expect((await client.responses.retrieve(next.id)).output_text).toBe('echo: again and')

    const stream = await client.responses.create({ model: 'ollama/llama3.3', input: 'stream this', stream: true })
    const events: any[] = []
    for await (const e of stream) events.push(e)
    expect(events[0].type).toBe('response.created')
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { status: 'completed' } })
    expect(events.filter(e => e.type === 'response.output_text.delta').map(e => e.delta).join('')).toBe('echo: this stream')
    expect(chatCalls().at(-1)!.body).toMatchObject({ model: 'llama3.3', stream: true })
  })

  it('keeps a conversation\'s turns for a connection\'s model, and runs a background response', async () => {
    const conv = await client.conversations.create({ items: [{ type: 'message', role: 'user', content: 'my name is Ada' }] })
    const res = await client.responses.create({ model: 'ollama/llama3.3', conversation: conv.id, input: 'who am i' })
    expect(res.output_text).toBe('echo: i am who')
    expect(chatCalls().at(-1)!.body.messages.map((m: any) => m.content)).toEqual(['my name is Ada', 'who am i'])
    const items = (await client.conversations.items.list(conv.id, { order: 'asc' })).data
    expect(items.map((i: any) => [i.role, i.content[0].text])).toEqual([['user', 'my name is Ada'], ['user', 'who am i'], ['assistant', 'echo: i am who']])

    const queued = await client.responses.create({ model: 'ollama/llama3.3', input: 'later please', background: true })
    expect(queued.status).toBe('queued')
    let done = queued
    for (let i = 0; i < 100 && (done.status === 'queued' || done.status === 'in_progress'); i++) {
      await new Promise(r => setTimeout(r, 20))
      done = await client.responses.retrieve(queued.id)
    }
    expect(done).toMatchObject({ status: 'completed', background: true })
    expect(done.output_text).toBe('echo: please later')
  })

  it('counts input tokens where the server can (Anthropic-compatible), and refuses clearly where it cannot', async () => {
    const counted = await client.responses.inputTokens.count({ model: 'claude-like/glm-4.6', input: 'count these four' })
    expect(counted).toMatchObject({ object: 'response.input_tokens' })
    expect(counted.input_tokens).toBeGreaterThan(0)
    expect(claudeLike.requests.at(-1)).toMatchObject({ path: '/v1/messages/count_tokens', body: { model: 'glm-4.6' } })
    const refused = await client.responses.inputTokens.count({ model: 'ollama/llama3.3', input: 'x' }).catch(e => e)
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError)
    expect(refused.code).toBe('unsupported_model')
  })
})

describe('two connections of one type', () => {
  it('sends each key only to its own server', async () => {
    const [a0, b0] = [strict.requests.length, strictB.requests.length]
    await client.chat.completions.create({ model: 'strict/llama3.3', messages: ask('to a') })
    await client.chat.completions.create({ model: 'strict-b/llama3.3', messages: ask('to b') })
    const toA = strict.requests.slice(a0)
    const toB = strictB.requests.slice(b0)
    expect(toA.map(r => r.body.messages[0].content)).toEqual(['to a'])
    expect(toB.map(r => r.body.messages[0].content)).toEqual(['to b'])
    expect(toA.every(r => r.headers.authorization === `Bearer ${strict.apiKey}`)).toBe(true)
    expect(toB.every(r => r.headers.authorization === `Bearer ${strictB.apiKey}`)).toBe(true)
    // The first connection's extra headers stay with it.
    expect(toB.every(r => r.headers['x-proxy-key'] === undefined)).toBe(true)
  })
})

describe('an Anthropic-compatible server', () => {
  it('answers /v1/chat/completions, streamed and not, metered at its price', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'claude-like/glm-4.6', messages: ask('hello compatible') }).withResponse()
    expect(data.choices[0]!.message.content).toBe('echo: compatible hello')
    const call = claudeLike.requests.at(-1)!
    expect(call).toMatchObject({ path: '/v1/messages', body: { model: 'glm-4.6' } })
    expect(call.headers['x-api-key']).toBe(claudeLike.apiKey)
    const row = await rowOf(response.headers.get('x-request-id'))
    expect(row).toMatchObject({ provider: 'claude-like', model: 'claude-like/glm-4.6' })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
    const { text } = await streamed({ model: 'claude-like/glm-4.6', messages: ask('stream compatible') })
    expect(text).toBe('echo: compatible stream')
  })

  it('answers /v1/messages natively, streamed and not', async () => {
    const msg = await anthropic.messages.create({ model: 'claude-like/glm-4.6', max_tokens: 100, messages: ask('native call') })
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'echo: call native' })
    expect(claudeLike.requests.at(-1)!.body).toMatchObject({ model: 'glm-4.6', max_tokens: 100 })
    const stream = anthropic.messages.stream({ model: 'claude-like/glm-4.6', max_tokens: 100, messages: ask('native stream') })
    expect((await stream.finalMessage()).content[0]).toMatchObject({ text: 'echo: stream native' })
  })
})

describe('routes and deleted connections', () => {
  it('falls back from OpenAI to an OpenAI-compatible connection', async () => {
    expect((await gw.admin('PUT', '/api/admin/routes/across', { targets: [{ model: 'openai/gpt-4o-mini' }, { model: 'ollama/llama3.3' }] })).status).toBe(200)
    openaiFake.faults.statuses.push({ status: 503 })
    const { data, response } = await client.chat.completions.create({ model: 'across', messages: ask('fall back') }).withResponse()
    expect(data.choices[0]!.message.content).toBe('echo: back fall')
    expect(response.headers.get('x-gateway-provider')).toBe('ollama')
    expect(openaiFake.requests.at(-1)!.body.messages[0].content).toBe('fall back')
  })

  it('answers 404 model_not_found for a model whose connection was deleted', async () => {
    const temp = await startFakeCompatible({ behaviour: 'no-usage', models: ['tiny'] })
    try {
      await gw.admin('PUT', '/api/admin/providers/temp', { type: 'openai-compatible', baseUrl: temp.url })
      await gw.admin('PUT', '/api/admin/models/temp/tiny', { free: true })
      expect((await client.chat.completions.create({ model: 'temp/tiny', messages: ask('x') })).choices[0]!.message.content).toBe('echo: x')
      expect((await gw.admin('DELETE', '/api/admin/providers/temp')).status).toBe(200)
      const error = await client.chat.completions.create({ model: 'temp/tiny', messages: ask('x') }).catch(e => e)
      expect(error).toBeInstanceOf(OpenAI.NotFoundError)
      expect(error.code).toBe('model_not_found')
      expect((await client.models.list()).data.some(m => m.id === 'temp/tiny')).toBe(false)
    }
    finally {
      await temp.close()
    }
  })
})

describe('UNPRICED_MODELS=allow', () => {
  let open: GatewayProcess
  beforeAll(async () => {
    open = await startGateway({ UNPRICED_MODELS: 'allow' })
    await open.admin('PUT', '/api/admin/providers/ollama', { type: 'openai-compatible', preset: 'ollama', baseUrl: ollama.url })
    await open.admin('POST', '/api/admin/providers/ollama/discover')
  })
  afterAll(async () => {
    await open?.stop()
    if (open) removeDir(open.dataDir)
  })

  it('serves an unpriced model, logs it with cost null and unpriced, and counts it', async () => {
    const key = (await open.admin('POST', '/api/admin/keys', { name: 'open' })).body.key
    const c = new OpenAI({ apiKey: key, baseURL: `${open.url}/v1`, maxRetries: 0 })
    const { data, response } = await c.chat.completions.create({ model: 'ollama/qwen3:8b', messages: ask('unpriced call') }).withResponse()
    expect(data.choices[0]!.message.content).toBe('echo: call unpriced')
    const id = response.headers.get('x-request-id')
    let row: any
    for (let i = 0; i < 40 && !row; i++) {
      row = (await open.admin('GET', '/api/admin/requests')).body.data.find((r: any) => r.id === id)
      if (!row) await new Promise(r => setTimeout(r, 50))
    }
    expect(row).toMatchObject({ model: 'ollama/qwen3:8b', costUsd: null, costNanoUsd: null, unpriced: true, status: 200 })
    const metrics = await (await fetch(`${open.url}/metrics`)).text()
    expect(metrics).toMatch(/gateway_unpriced_requests_total\{provider="ollama",model="ollama\/qwen3:8b"\} 1/)
    await open.waitForOutput(/"costUsd":null,"unpriced":true/)
  })
})

// Anthropic and Gemini behind the OpenAI API, and the Anthropic-compatible /v1/messages, end to end:
// the built gateway, strict fake upstreams, and the official openai and @anthropic-ai/sdk clients.
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeAnthropic } from '../helpers/fake-anthropic'
import type { FakeGemini } from '../helpers/fake-gemini'
import { fakeReply, fakeVector, type FakeOpenAI } from '../helpers/fake-openai'
import { type FakeProviders, registryCost, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

const CLAUDE = 'claude-haiku-4-5'
const GEMINI = 'gemini-2.5-flash'
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}

let fakes: FakeProviders
let openaiFake: FakeOpenAI
let anthropicFake: FakeAnthropic
let geminiFake: FakeGemini
let gw: GatewayProcess
let client: OpenAI
let anthropic: Anthropic
let gatewayKey: string

const pricing = async (id: string) => (await gw.admin('GET', '/api/admin/models')).body.models.find((m: any) => m.id === id).pricing
async function rowOf(requestId: string | null) {
  const rows = (await gw.admin('GET', '/api/admin/requests?limit=200')).body.data
  return rows.find((r: any) => r.id === requestId)
}
beforeAll(async () => {
  fakes = await startFakeProviders()
  ;({ openai: openaiFake, anthropic: anthropicFake, gemini: geminiFake } = fakes)
  gw = await startGateway(fakes.env)
  gatewayKey = (await gw.admin('POST', '/api/admin/keys', { name: 'providers' })).body.key
  client = new OpenAI({ apiKey: gatewayKey, baseURL: `${gw.url}/v1`, maxRetries: 0 })
  anthropic = new Anthropic({ apiKey: gatewayKey, baseURL: gw.url, maxRetries: 0 })
})

afterAll(async () => {
  await gw?.stop()
  await fakes?.close()
  if (gw) removeDir(gw.dataDir)
})

describe.each([
  ['Anthropic', CLAUDE, () => anthropicFake.requests],
  ['Gemini', GEMINI, () => geminiFake.requests],
])('%s through the OpenAI API', (_name, model, upstreamRequests) => {
  it('answers a system prompt and a multi-turn conversation, metered at the registry price', async () => {
    const messages = [
      { role: 'system' as const, content: 'You are terse.' },
      { role: 'user' as const, content: 'first question' },
      { role: 'assistant' as const, content: 'first answer' },
      { role: 'user' as const, content: 'second question here' },
    ]
    const res = await client.chat.completions.create({ model, messages }).withResponse()
    expect(res.data.choices[0]!.message.content).toBe(fakeReply(messages))
    expect(res.data.choices[0]!.finish_reason).toBe('stop')
    expect(res.response.headers.get('x-gateway-provider')).toBe(model === CLAUDE ? 'anthropic' : 'google')
    const sent = upstreamRequests().at(-1)!
    expect(sent.headers.authorization ?? '').not.toContain('sk-gw-')
    expect(JSON.stringify(sent.body)).toContain('You are terse.')
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row).toMatchObject({ model, status: 200, promptTokens: res.data.usage!.prompt_tokens, completionTokens: res.data.usage!.completion_tokens })
    expect(row.costUsd).toBeGreaterThan(0)
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('streams text with a final usage chunk when asked', async () => {
    const messages = [{ role: 'user' as const, content: 'stream these words please' }]
    const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } })
    let text = ''
    let usage: OpenAI.CompletionUsage | undefined
    let finish: string | null | undefined
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish ??= chunk.choices[0]?.finish_reason
      if (chunk.usage) usage = chunk.usage
    }
    expect(text).toBe(fakeReply(messages))
    expect(finish).toBe('stop')
    expect(usage!.prompt_tokens).toBeGreaterThan(0)
    const row = (await gw.admin('GET', '/api/admin/requests?limit=1')).body.data[0]
    expect(row).toMatchObject({ model, stream: true, status: 200, promptTokens: usage!.prompt_tokens, completionTokens: usage!.completion_tokens })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('prices cached prompt tokens at the cached-input price', async () => {
    const res = await client.chat.completions.create({ model, messages: [{ role: 'user', content: '[cached] a long shared prefix of many words' }] }).withResponse()
    const cached = res.data.usage!.prompt_tokens_details!.cached_tokens!
    expect(cached).toBeGreaterThan(0)
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row.cachedTokens).toBe(cached)
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('calls a tool and takes its result back, not streamed', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'what is the weather in Paris?' }]
    const first = await client.chat.completions.create({ model, messages, tools: [weatherTool] })
    const choice = first.choices[0]!
    expect(choice.finish_reason).toBe('tool_calls')
    const call = choice.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall
    expect(call.function.name).toBe('get_weather')
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' })
    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature":21}' })
    const second = await client.chat.completions.create({ model, messages, tools: [weatherTool] })
    expect(second.choices[0]!.finish_reason).toBe('stop')
    expect(second.choices[0]!.message.content).toContain('21')
  })

  it('calls a tool in a stream, with indexed tool_call deltas', async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'weather in Paris now?' }], tools: [weatherTool], stream: true })
    const calls = new Map<number, { id?: string, name?: string, args: string }>()
    let finish: string | null | undefined
    for await (const chunk of stream) {
      for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
        const c = calls.get(d.index) ?? { args: '' }
        c.id ??= d.id
        c.name ??= d.function?.name
        c.args += d.function?.arguments ?? ''
        calls.set(d.index, c)
      }
      finish ??= chunk.choices[0]?.finish_reason
    }
    expect(finish).toBe('tool_calls')
    expect([...calls.keys()]).toEqual([0])
    expect(calls.get(0)).toMatchObject({ name: 'get_weather' })
    expect(calls.get(0)!.id).toBeTruthy()
    expect(JSON.parse(calls.get(0)!.args)).toEqual({ city: 'Paris' })
  })

  it('passes image input in the provider\'s form', async () => {
    const res = await client.chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'describe this' }, { type: 'image_url', image_url: { url: PIXEL } }] }] })
    expect(res.choices[0]!.message.content).toBe('echo: this describe')
    const body = JSON.stringify(upstreamRequests().at(-1)!.body)
    expect(body).toContain(model === CLAUDE ? '"media_type":"image/png"' : '"mimeType":"image/png"')
  })

  it('returns JSON for a json_schema response format', async () => {
    const res = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'give me a city' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    })
    expect(res.choices[0]!.finish_reason).toBe('stop')
    expect(Object.keys(JSON.parse(res.choices[0]!.message.content!))).toContain('city')
  })

  it('reports a provider error before the stream as an OpenAI error', async () => {
    const marker = model === CLAUDE ? '[fail-529]' : '[fail-503]'
    const err = await client.chat.completions.create({ model, messages: [{ role: 'user', content: marker }] }).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.APIError)
    expect(err.status).toBe(503)
    expect(err.code).toBe('upstream_overloaded')
    const row = (await gw.admin('GET', '/api/admin/requests?limit=1')).body.data[0]
    expect(row).toMatchObject({ model, status: 503, errorCode: 'upstream_overloaded' })
  })

  it('raises a provider error during the stream in the SDK', async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'start then [fail-midstream]' }], stream: true })
    let text = ''
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    })().catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.APIError)
    expect(String(err.message)).toMatch(/overload/i)
    expect(text.length).toBeGreaterThan(0)
    const row = (await gw.admin('GET', '/api/admin/requests?limit=1')).body.data[0]
    expect(row).toMatchObject({ model, stream: true, status: 503 })
  })
})

describe('provider specifics', () => {
  it('prices Anthropic cache writes at the cache-write price', async () => {
    const res = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: '[cache-write] a prefix to cache' }] }).withResponse()
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row.cacheWriteTokens).toBe(2048)
    expect(row.promptTokens).toBe(res.data.usage!.prompt_tokens)
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
    expect((await pricing(CLAUDE)).cacheWrite).toBe(1.25)
  })

  it.each([false, true])('bills Claude\'s 5-minute and 1-hour cache writes at their own prices (stream: %s)', async (stream) => {
    const messages = [{ role: 'user' as const, content: '[cache-write] one prefix, [cache-write-1h] another' }]
    const res = await client.chat.completions.create({ model: CLAUDE, messages, stream, stream_options: stream ? { include_usage: true } : undefined } as any).withResponse()
    if (stream) for await (const _ of res.data as any);
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row).toMatchObject({ stream, cacheWriteTokens: 2048 + 4096, cacheWrite1hTokens: 4096 })
    // Haiku 4.5 on the saved page: $1 input, $1.25 5-minute writes, $2 1-hour writes, $5 output per 1M.
    expect(await pricing(CLAUDE)).toMatchObject({ input: 1, cacheWrite: 1.25, cacheWrite1h: 2, output: 5 })
    const uncached = row.promptTokens - 2048 - 4096
    expect(row.costNanoUsd).toBe(uncached * 1000 + 2048 * 1250 + 4096 * 2000 + row.completionTokens * 5000)
    expect(row.costUsd).toBe(row.costNanoUsd / 1e9)
  })

  it('bills 1-hour cache writes on /v1/messages, as Anthropic reports them', async () => {
    const res = await anthropic.messages.create({ model: CLAUDE, max_tokens: 50, messages: [{ role: 'user', content: '[cache-write-1h] a long prefix' }] }).withResponse()
    expect(res.data.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 4096 })
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row).toMatchObject({ endpoint: 'messages', cacheWriteTokens: 4096, cacheWrite1hTokens: 4096 })
    expect(row.costNanoUsd).toBe(res.data.usage.input_tokens * 1000 + 4096 * 2000 + res.data.usage.output_tokens * 5000)
  })

  it('counts Gemini thinking tokens as reasoning and bills them as output', async () => {
    const res = await client.chat.completions.create({ model: GEMINI, messages: [{ role: 'user', content: '[think] about this' }] }).withResponse()
    expect(res.data.usage!.completion_tokens_details!.reasoning_tokens).toBe(7)
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row.reasoningTokens).toBe(7)
    expect(row.completionTokens).toBe(res.data.usage!.completion_tokens)
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('embeds through Gemini in OpenAI\'s shape, base64 by default', async () => {
    const res = await client.embeddings.create({ model: 'gemini-embedding-001', input: ['alpha beta', 'gamma'] }).withResponse()
    expect(res.data.data).toHaveLength(2)
    const expected = fakeVector('alpha beta', 8)
    res.data.data[0]!.embedding.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6))
    expect(geminiFake.requests.at(-1)!.path).toMatch(/:batchEmbedContents$/)
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row).toMatchObject({ provider: 'google', endpoint: 'embeddings' })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('reports a wrong Gemini key as an upstream auth failure without leaking it', async () => {
    const wrong = 'AIzaSyWrongKeyWrongKeyWrongKey0000000'
    await gw.admin('PUT', '/api/admin/providers/google', { apiKey: wrong, baseUrl: geminiFake.url })
    const err = await client.chat.completions.create({ model: GEMINI, messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    await gw.admin('DELETE', '/api/admin/providers/google')
    expect(err.status).toBe(502)
    expect(err.code).toBe('upstream_auth_failed')
    expect(JSON.stringify(err.error)).not.toContain(wrong.slice(-8))
  })
})

describe('/v1/messages for Anthropic SDK clients', () => {
  it('serves Claude natively, metered', async () => {
    const { data: msg, response } = await anthropic.messages.create({ model: CLAUDE, max_tokens: 100, system: 'be kind', messages: [{ role: 'user', content: 'hello native claude' }] }).withResponse()
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'echo: claude native hello' })
    expect(anthropicFake.requests.at(-1)!.headers['x-api-key']).toBe(anthropicFake.apiKey)
    const row = await rowOf(response.headers.get('x-request-id'))
    expect(row).toMatchObject({ endpoint: 'messages', provider: 'anthropic', promptTokens: msg.usage.input_tokens, completionTokens: msg.usage.output_tokens })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('streams Claude natively', async () => {
    const stream = anthropic.messages.stream({ model: CLAUDE, max_tokens: 100, messages: [{ role: 'user', content: 'stream native claude' }] })
    const final = await stream.finalMessage()
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'echo: claude native stream' })
    const row = (await gw.admin('GET', '/api/admin/requests?limit=1')).body.data[0]
    expect(row).toMatchObject({ endpoint: 'messages', stream: true, status: 200, completionTokens: final.usage.output_tokens })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it.each([['gpt-4o-mini', 'openai'], [GEMINI, 'google']])('translates %s for an Anthropic client, streamed and not', async (model, provider) => {
    const msg = await anthropic.messages.create({ model, max_tokens: 100, system: 'short', messages: [{ role: 'user', content: 'translate this please' }] })
    expect(msg).toMatchObject({ type: 'message', role: 'assistant', model, stop_reason: 'end_turn', content: [{ type: 'text', text: 'echo: please this translate' }] })
    const final = await anthropic.messages.stream({ model, max_tokens: 100, messages: [{ role: 'user', content: 'and stream it' }] }).finalMessage()
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'echo: it stream and' })
    expect(final.usage.output_tokens).toBeGreaterThan(0)
    const row = (await gw.admin('GET', '/api/admin/requests?limit=1')).body.data[0]
    expect(row).toMatchObject({ endpoint: 'messages', provider, stream: true, status: 200 })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('round-trips a tool call for a translated model', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }]
    const first = await anthropic.messages.create({ model: GEMINI, max_tokens: 100, tools, messages: [{ role: 'user', content: 'weather in Paris?' }] })
    expect(first.stop_reason).toBe('tool_use')
    const use = first.content.find(b => b.type === 'tool_use')!
    expect(use).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } })
    const second = await anthropic.messages.create({
      model: GEMINI,
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: (use as Anthropic.ToolUseBlock).id, content: 'sunny 24C' }] },
      ],
    })
    expect(JSON.stringify(second.content)).toContain('sunny 24C')
  })

  it('answers errors in Anthropic\'s shape', async () => {
    const notFound = await anthropic.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    expect(notFound).toBeInstanceOf(Anthropic.NotFoundError)
    expect(notFound.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    const badKey = await new Anthropic({ apiKey: 'sk-gw-wrong-wrong-wrong-wrong-wrong-wrong', baseURL: gw.url, maxRetries: 0 })
      .messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    expect(badKey).toBeInstanceOf(Anthropic.AuthenticationError)
    const overloaded = await anthropic.messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: 'user', content: '[fail-529]' }] }).catch(e => e)
    expect(overloaded).toBeInstanceOf(Anthropic.APIError)
    expect(overloaded.status).toBe(503)
  })

  it('accepts the gateway key as x-api-key', async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': gatewayKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: CLAUDE, max_tokens: 50, messages: [{ role: 'user', content: 'header key' }] }),
    })
    expect(res.status).toBe(200)
    expect((await res.json()).content[0].text).toBe('echo: key header')
  })
})

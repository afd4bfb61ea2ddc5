// The fake Anthropic server speaks the real protocol: the official SDK talks to it, parses its
// answers and streams, and raises its errors; and it refuses what the real API refuses.
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeAnthropic, startFakeAnthropic } from '../helpers/fake-anthropic'

let fake: FakeAnthropic
let client: Anthropic
const MODEL = 'claude-opus-4-8'
const weatherTool = { name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }

beforeAll(async () => {
  fake = await startFakeAnthropic()
  client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 })
})
afterAll(() => fake?.close())

/** A raw request with the 2023-06-01 headers the gateway sends. */
async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${fake.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': fake.apiKey, 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

describe('fake Anthropic with the official SDK', () => {
  it('answers a message with deterministic text and usage', async () => {
    const msg = await client.messages.create({ model: MODEL, max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'hello there [cached]' }] })
    expect(msg.content).toEqual([{ type: 'text', text: 'echo: [cached] there hello' }])
    expect(msg.stop_reason).toBe('end_turn')
    expect(msg.usage).toMatchObject({ cache_read_input_tokens: 1024, cache_creation_input_tokens: 0, output_tokens: 4 })
    expect(msg.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 })
    expect(msg.usage.input_tokens).toBeGreaterThan(0)
    expect(fake.requests.at(-1)!.headers['anthropic-version']).toBe('2026-10-21')
  })

  it('reports 5-minute and 1-hour cache writes apart, streamed and not', async () => {
    const messages = [{ role: 'user' as const, content: '[cache-write] and [cache-write-1h] prefixes' }]
    const msg = await client.messages.create({ model: MODEL, max_tokens: 100, messages })
    expect(msg.usage).toMatchObject({ cache_creation_input_tokens: 2048 + 4096, cache_creation: { ephemeral_5m_input_tokens: 2048, ephemeral_1h_input_tokens: 4096 } })
    const streamed = await client.messages.stream({ model: MODEL, max_tokens: 100, messages }).finalMessage()
    expect(streamed.usage).toMatchObject({ cache_creation_input_tokens: 2048 + 4096, cache_creation: { ephemeral_5m_input_tokens: 2048, ephemeral_1h_input_tokens: 4096 } })
  })

  it('echoes inference_geo in the usage, and refuses it before Claude 4.6', async () => {
    const ask = (model: string, inference_geo?: string) => client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], ...inference_geo ? { inference_geo } : {} })
    expect((await ask(MODEL, 'us')).usage.inference_geo).toBe('us')
    expect((await ask(MODEL)).usage.inference_geo).toBe('global')
    expect((await client.messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], inference_geo: 'us' }).finalMessage()).usage.inference_geo).toBe('us')
    await expect(ask('claude-opus-4-5', 'us')).rejects.toMatchObject({ status: 400 })
    await expect(ask(MODEL, 'mars')).rejects.toMatchObject({ status: 400 })
  })

  it('streams a tool call the SDK accumulates', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 100, tools: [weatherTool], messages: [{ role: 'user', content: 'What is the weather in Paris?' }] })
    const msg = await stream.finalMessage()
    expect(msg.stop_reason).toBe('tool_use')
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Let me check the weather.' })
    expect(msg.content[1]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } })
    expect((msg.content[1] as { id: string }).id).toMatch(/^toolu_/)
    expect(msg.usage.output_tokens).toBe(5 + 12)
  })

  it('answers a tool result with its content', async () => {
    const first = await client.messages.create({ model: MODEL, max_tokens: 100, tools: [weatherTool], messages: [{ role: 'user', content: 'weather in Paris?' }] })
    const call = first.content.find(b => b.type === 'tool_use')!
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18°C and sunny' }] },
      ],
    })
    expect(msg.content).toEqual([{ type: 'text', text: 'tool result: 18°C and sunny' }])
  })

  it('stops at stop sequences and max_tokens', async () => {
    const stopped = await client.messages.create({ model: MODEL, max_tokens: 100, stop_sequences: ['three'], messages: [{ role: 'user', content: 'one two three four' }] })
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'three', content: [{ type: 'text', text: 'echo: four ' }] })
    const cut = await client.messages.create({ model: MODEL, max_tokens: 2, messages: [{ role: 'user', content: 'one two three four' }] })
    expect(cut).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'text', text: 'echo: four' }] })
  })

  it('raises the SDK\'s errors: bad key, 529, an error event mid-stream', async () => {
    const bad = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.url, maxRetries: 0 })
    await expect(bad.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError)
    await expect(client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi [fail-529]' }] })).rejects.toMatchObject({ status: 529 })
    const stream = client.messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi [fail-midstream]' }] })
    await expect(stream.finalMessage()).rejects.toMatchObject({ error: { type: 'error', error: { type: 'overloaded_error' } } })
  })
})

describe('fake Anthropic counts tokens', () => {
  it('answers count_tokens with the input tokens a message reports, with the SDK', async () => {
    const body = { model: MODEL, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'how many tokens here' }], tools: [weatherTool] }
    const msg = await client.messages.create({ ...body, max_tokens: 100 })
    expect(await client.messages.countTokens(body)).toEqual({ input_tokens: msg.usage.input_tokens })
  })

  it('refuses generation fields and bad messages there, as the API does', async () => {
    const count = (body: unknown) => fetch(`${fake.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': fake.apiKey, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    }).then(async r => ({ status: r.status, body: await r.json() }))
    const ok = { model: MODEL, messages: [{ role: 'user', content: 'hi' }] }
    expect(await count(ok)).toEqual({ status: 200, body: { input_tokens: 8 } })
    expect(await count({ ...ok, max_tokens: 10 })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/max_tokens: Extra inputs/) } } })
    expect(await count({ ...ok, stream: true })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/stream: Extra inputs/) } } })
    expect(await count({ ...ok, messages: [{ role: 'robot', content: 'x' }] })).toMatchObject({ status: 400 })
  })
})

describe('fake Anthropic refuses what the API refuses', () => {
  const ok = { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }
  const cases: [string, unknown, RegExp, Record<string, string>?][] = [
    ['a missing max_tokens', { ...ok, max_tokens: undefined }, /max_tokens: Field required/],
    ['an unknown field', { ...ok, stream_options: { include_usage: true } }, /stream_options: Extra inputs are not permitted/],
    ['OpenAI\'s response_format', { ...ok, response_format: { type: 'json_object' } }, /response_format: Extra inputs/],
    ['temperature above 1', { ...ok, temperature: 1.5 }, /temperature/],
    ['temperature beside top_p', { ...ok, temperature: 0.5, top_p: 0.9 }, /cannot both be specified/],
    ['a tool_use id with a dot', {
      ...ok,
      messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'tool_use', id: 'call.1', name: 'f', input: {} }] }],
    }, /tool_use.id/],
    ['sampling parameters under 2026-10-21', { ...ok, temperature: 0.5 }, /temperature: Extra inputs/, { 'anthropic-version': '2026-10-21' }],
    ['a system turn', { ...ok, messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'hi' }] }, /messages.0.role/],
    ['a tool role', { ...ok, messages: [{ role: 'user', content: 'hi' }, { role: 'tool', content: 'x' }] }, /messages.1.role/],
    ['an assistant first turn', { ...ok, messages: [{ role: 'assistant', content: 'hi' }, { role: 'user', content: 'hi' }] }, /first message must use the "user" role/],
    ['two user turns in a row', { ...ok, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] }, /roles must alternate/],
    ['an empty text block', { ...ok, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, /must be non-empty/],
    ['an OpenAI image part', { ...ok, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }, /Input tag 'image_url'/],
    ['a bad image media type', { ...ok, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AA==' } }] }] }, /media_type/],
    ['an unmatched tool_result', {
      ...ok,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'r' }] },
      ],
    }, /unexpected `tool_use_id`/],
    ['a tool_use without its result', {
      ...ok,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }] },
        { role: 'user', content: 'well?' },
      ],
    }, /without `tool_result` blocks/],
    ['a tool without input_schema', { ...ok, tools: [{ name: 'f' }] }, /input_schema: Field required/],
    ['tool_choice naming no tool', { ...ok, tools: [weatherTool], tool_choice: { type: 'tool', name: 'nope' } }, /not found/],
    ['max_tokens above the model\'s limit', { ...ok, model: 'claude-haiku-4-5', max_tokens: 64_001 }, /^max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001$/],
    ['max_tokens above a snapshot\'s limit', { ...ok, model: 'claude-opus-4-1-20250805', max_tokens: 32_001 }, /> 32000/],
    ['an unknown server tool type', { ...ok, tools: [{ type: 'web_browser_20250101', name: 'web_browser' }] }, /Input tag 'web_browser_20250101'/],
    ['an OpenAI field on the web search tool', { ...ok, tools: [{ type: 'web_search_20250305', name: 'web_search', search_context_size: 'low' }] }, /search_context_size: Extra inputs/],
  ]
  it('takes max_tokens at the model\'s limit, the web search server tool and context editing', async () => {
    const res = await post({
      ...ok, model: 'claude-haiku-4-5', max_tokens: 64_000, tools: [weatherTool, { type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    })
    expect(res.status).toBe(200)
  })

  it.each(cases)('refuses %s', async (_name, body, message, headers) => {
    const res = await post(body, headers)
    expect(res.status).toBe(400)
    expect(res.body.type).toBe('error')
    expect(res.body.error.type).toBe('invalid_request_error')
    expect(res.body.error.message).toMatch(message)
  })

  it('requires the key and the version header', async () => {
    const noKey = await post(ok, { 'x-api-key': '' })
    expect(noKey).toMatchObject({ status: 401, body: { type: 'error', error: { type: 'authentication_error' } } })
    const res = await fetch(`${fake.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(ok) })
    expect(res.status).toBe(400)
    expect((await res.json()).error.message).toMatch(/anthropic-version/)
  })

  it('accepts images given as base64 and as URLs', async () => {
    const res = await post({
      ...ok,
      messages: [{
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          { type: 'text', text: 'describe' },
        ],
      }],
    })
    expect(res.status).toBe(200)
    expect(res.body.content[0].text).toBe('echo: describe')
  })
})

describe('fake Anthropic thinking, as strict as the real API', () => {
  const BUDGET_MODEL = 'claude-sonnet-4-5'
  const question = [{ role: 'user' as const, content: 'What is the weather in Paris?' }]

  it('answers with a signed thinking block first, streamed as thinking and signature deltas', async () => {
    const thinking = { type: 'enabled' as const, budget_tokens: 2048 }
    const msg = await client.messages.create({ model: BUDGET_MODEL, max_tokens: 4096, thinking, messages: [{ role: 'user', content: 'one two' }] })
    expect(msg.content[0]).toEqual({ type: 'thinking', thinking: 'Thinking about: one two', signature: expect.any(String) })
    expect(msg.content[1]).toEqual({ type: 'text', text: 'echo: two one' })
    // Thinking words are output tokens: 4 of thinking, 3 of text.
    expect(msg.usage.output_tokens).toBe(7)
    const events: string[] = []
    const stream = client.messages.stream({ model: MODEL, max_tokens: 4096, thinking: { type: 'adaptive' }, messages: [{ role: 'user', content: 'one two [redacted]' }] })
    stream.on('streamEvent', (e) => { if (e.type === 'content_block_delta') events.push(e.delta.type) })
    const streamed = await stream.finalMessage()
    expect(streamed.content[0]).toEqual({ type: 'thinking', thinking: 'Thinking about: one two [redacted]', signature: expect.any(String) })
    expect(streamed.content[1]).toMatchObject({ type: 'redacted_thinking', data: expect.stringMatching(/^redacted:/) })
    expect(events).toContain('thinking_delta')
    expect(events).toContain('signature_delta')
  })

  it.each([
    ['a budget under 1024', { model: BUDGET_MODEL, thinking: { type: 'enabled', budget_tokens: 1000 } }, /greater than or equal to 1024/],
    ['a budget not below max_tokens', { model: BUDGET_MODEL, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 2048 } }, /max_tokens/],
    ['temperature beside thinking', { model: BUDGET_MODEL, temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 } }, /temperature/],
    ['a budget on a model that takes only adaptive thinking', { model: 'claude-opus-4-8', thinking: { type: 'enabled', budget_tokens: 1024 } }, /adaptive/],
    ['adaptive thinking on a model that takes only a budget', { model: BUDGET_MODEL, thinking: { type: 'adaptive' } }, /not supported/],
    ['thinking on a model without it', { model: 'claude-3-5-haiku-latest', thinking: { type: 'enabled', budget_tokens: 1024 } }, /does not support thinking/],
    ['a tool_choice forcing a tool', { model: BUDGET_MODEL, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [weatherTool], tool_choice: { type: 'any' } }, /forces tool use/],
    ['an unknown effort', { model: MODEL, thinking: { type: 'adaptive' }, output_config: { effort: 'extreme' } }, /effort/],
  ])('refuses %s', async (_, body, message) => {
    const res = await post({ max_tokens: 4096, messages: question, ...body })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toMatch(message)
  })

  it('takes a tool loop back only with the signed thinking block first, exactly as sent', async () => {
    const thinking = { type: 'enabled' as const, budget_tokens: 1024 }
    const first = await client.messages.create({ model: BUDGET_MODEL, max_tokens: 4096, thinking, tools: [weatherTool], messages: question })
    expect(first.content.map(b => b.type)).toEqual(['thinking', 'text', 'tool_use'])
    const call = first.content.find(b => b.type === 'tool_use')!
    const followUp = (assistant: unknown[]) => post({
      model: BUDGET_MODEL, max_tokens: 4096, thinking, tools: [weatherTool],
      messages: [...question, { role: 'assistant', content: assistant }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny' }] }],
    })
    const [signed, ...rest] = first.content as any[]
    expect((await followUp(first.content)).status).toBe(200)
    expect((await followUp(rest)).body.error.message).toMatch(/Expected `thinking` or `redacted_thinking`, but found `text`/)
    expect((await followUp([{ ...signed, thinking: `${signed.thinking}!` }, ...rest])).body.error.message).toMatch(/Invalid `signature`/)
    // Without thinking on, a turn without its thinking block is fine.
    const { status } = await post({ model: BUDGET_MODEL, max_tokens: 4096, tools: [weatherTool], messages: [...question, { role: 'assistant', content: rest }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny' }] }] })
    expect(status).toBe(200)
  })
})

// The Anthropic adapter: OpenAI requests → Messages requests, Messages answers and streams → OpenAI's
// shapes, errors → the gateway's vocabulary. Checked on hand-made cases, on a real recorded stream,
// against the strict fake Anthropic server, and through the official openai SDK's stream reader.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createParser } from 'eventsource-parser'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GatewayError } from '../../server/utils/core/errors'
import { ChatCompletionRequest } from '../../server/utils/dialects/openai'
import { anthropic } from '../../server/utils/providers/anthropic'
import { JSON_TOOL } from '../../server/utils/providers/anthropic/request'
import { adapters } from '../../server/utils/providers'
import { StreamFailure, type UpstreamTarget } from '../../server/utils/providers/types'
import { familyCapabilities } from '../../server/utils/registry/capabilities'
import type { ModelEntry } from '../../server/utils/registry/schema'
import { type FakeAnthropic, startFakeAnthropic } from '../helpers/fake-anthropic'

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/streams')
const RECORDED = path.join(FIXTURES, 'anthropic-tool-use.sse')

const entry: ModelEntry = {
  id: 'claude-opus-4-8', provider: 'anthropic', mode: 'chat', pricing: { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  maxOutputTokens: 128000, aliases: [], status: 'active', source: 'seed', updatedAt: '2026-11-26T00:00:00.000Z',
  capabilities: familyCapabilities('anthropic', 'claude-opus-4-8'),
}

function target(over: Partial<UpstreamTarget> = {}): UpstreamTarget {
  return { provider: 'anthropic', model: 'claude-opus-4-8', entry, baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-api03-secret-key-0123456789', ...over }
}

/** The Anthropic body the adapter builds for an OpenAI request (validated as the gateway would), with the call's cap. */
function translate(req: Record<string, unknown>, t = target(), stream = false, maxOutputTokens?: number) {
  const up = anthropic.chat.request(ChatCompletionRequest.parse({ model: 'claude-opus-4-8', ...req }), t, { stream, maxOutputTokens })
  return JSON.parse(up.body)
}

const weather = { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }
const user = (content: unknown) => ({ role: 'user', content })

function feed(sse: string, t = target(), includeUsage = true) {
  const translator = anthropic.chat.stream(t, { includeUsage, id: 'chatcmpl-test', created: 1700000000 })
  const chunks: any[] = []
  const parser = createParser({ onEvent: e => chunks.push(...translator.push({ event: e.event, data: e.data }).map(c => JSON.parse(c))) })
  parser.feed(sse)
  chunks.push(...translator.end().map(c => JSON.parse(c)))
  return { chunks, translator }
}

const sse = (type: string, data: object = {}) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`

/** The chunks as the official openai SDK accumulates them from the wire (`data: ` framing and [DONE], as the pipeline sends). */
async function openaiSdkFinal(chunks: unknown[]) {
  const wire = `${chunks.map(c => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`
  const client = new OpenAI({ apiKey: 'x', baseURL: 'http://gateway.test/v1', fetch: async () => new Response(wire, { headers: { 'content-type': 'text/event-stream' } }) })
  return client.chat.completions.stream({ model: 'claude-opus-4-8', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion()
}

describe('registration', () => {
  it('is listed among the adapters with Anthropic\'s base URL', () => {
    expect(adapters.anthropic).toBe(anthropic)
    expect(anthropic.api.defaultBaseUrl).toBe('https://api.anthropic.com')
  })
})

describe('request translation', () => {
  it('posts to /v1/messages with Anthropic\'s headers (a base URL ending in /v1 works too)', () => {
    for (const baseUrl of ['https://api.anthropic.com', 'https://api.anthropic.com/', 'https://api.anthropic.com/v1']) {
      const up = anthropic.chat.request(ChatCompletionRequest.parse({ model: 'x', messages: [user('hi')] }), target({ baseUrl }), { stream: false })
      expect(up.url).toBe('https://api.anthropic.com/v1/messages')
      expect(up.headers).toEqual({ 'content-type': 'application/json', 'x-api-key': 'sk-ant-api03-secret-key-0123456789', 'anthropic-version': '2023-06-01' })
    }
  })

  it('sends web_search_options as the web search server tool, beside the client tools', () => {
    const body = translate({ messages: [user('news?')], tools: [weather], web_search_options: {} })
    expect(body.tools).toEqual([expect.objectContaining({ name: 'get_weather' }), { type: 'web_search_20250305', name: 'web_search' }])
    const alone = translate({ messages: [user('news?')], web_search_options: {} })
    expect(alone.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search' }])
    expect(alone.tool_choice).toBeUndefined()
  })

  it('hoists system and developer messages, wherever they are, into `system`', () => {
    const body = translate({ messages: [{ role: 'system', content: 'Be brief.' }, user('hi'), { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] }, user('again')] })
    expect(body.system).toBe('Be brief.\n\nAnswer in French.')
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: 'again' }] }])
  })

  it('keeps cache_control markers (system blocks then stay blocks)', () => {
    const body = translate({ messages: [{ role: 'system', content: [{ type: 'text', text: 'Long rules', cache_control: { type: 'ephemeral' } }] }, user('hi')] })
    expect(body.system).toEqual([{ type: 'text', text: 'Long rules', cache_control: { type: 'ephemeral' } }])
  })

  it('merges consecutive same-role turns and opens with a user turn when the assistant speaks first', () => {
    const body = translate({ messages: [{ role: 'assistant', content: 'Hello! How can I help?' }, { role: 'assistant', content: 'Ask me anything.' }, user('a'), user('b')] })
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: '.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello! How can I help?' }, { type: 'text', text: 'Ask me anything.' }] },
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
    ])
  })

  it('drops empty text (Anthropic rejects it) and skips turns left empty', () => {
    const body = translate({ messages: [user('hi'), { role: 'assistant', content: '' }, user([{ type: 'text', text: ' ' }, { type: 'text', text: 'there' }])] })
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: 'there' }] }])
  })

  it('sends the call\'s cap as max_tokens (what the budget reserved for); without one, the registry limit, else 4096', () => {
    expect(translate({ messages: [user('hi')] }, target(), false, 50).max_tokens).toBe(50)
    expect(translate({ messages: [user('hi')], max_tokens: 9000 }, target(), false, 70).max_tokens).toBe(70)
    expect(translate({ messages: [user('hi')] }).max_tokens).toBe(128000)
    expect(translate({ messages: [user('hi')] }, target({ entry: { ...entry, maxOutputTokens: undefined } })).max_tokens).toBe(4096)
  })

  it('maps stop, temperature (clamped to 1; top_p left out beside it), user and stream; drops OpenAI-only fields', () => {
    const body = translate({
      messages: [user('hi')], stop: 'END', temperature: 1.6, top_p: 0.9, user: 'user-42', n: 1, seed: 7,
      frequency_penalty: 0.5, logprobs: false, stream: true, stream_options: { include_usage: true },
    }, target(), true)
    expect(body).toEqual({
      model: 'claude-opus-4-8', max_tokens: 128000, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stop_sequences: ['END'], temperature: 1, metadata: { user_id: 'user-42' }, stream: true,
    })
    expect(translate({ messages: [user('hi')], stop: ['a', 'b'], temperature: 0.3 })).toMatchObject({ stop_sequences: ['a', 'b'], temperature: 0.3 })
    expect(translate({ messages: [user('hi')], top_p: 0.5 })).toMatchObject({ top_p: 0.5 })
    expect(translate({ messages: [user('hi')] })).not.toHaveProperty('stream')
  })

  it('refuses n > 1 with a 400', () => {
    expect(() => translate({ messages: [user('hi')], n: 2 })).toThrow(GatewayError)
  })

  it('maps tools and every tool_choice', () => {
    const bare = { type: 'function', function: { name: 'now' } }
    const body = translate({ messages: [user('hi')], tools: [weather, bare] })
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Weather of a city', input_schema: weather.function.parameters },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ])
    expect(body).not.toHaveProperty('tool_choice')
    const choice = (tool_choice: unknown, extra = {}) => translate({ messages: [user('hi')], tools: [weather], tool_choice, ...extra }).tool_choice
    expect(choice('auto')).toEqual({ type: 'auto' })
    expect(choice('none')).toEqual({ type: 'none' })
    expect(choice('required')).toEqual({ type: 'any' })
    expect(choice({ type: 'function', function: { name: 'get_weather' } })).toEqual({ type: 'tool', name: 'get_weather' })
    expect(choice(undefined, { parallel_tool_calls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    expect(choice('required', { parallel_tool_calls: false })).toEqual({ type: 'any', disable_parallel_tool_use: true })
  })

  it('turns assistant tool_calls into tool_use blocks and tool messages into tool_result blocks of one user turn', () => {
    const body = translate({
      messages: [
        user('Weather in Paris and Rome?'),
        {
          role: 'assistant', content: 'Checking.', tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{not json' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '21°C' }] },
        user('Thanks, which is warmer?'),
      ],
    })
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant', content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user', content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '21°C' },
          { type: 'text', text: 'Thanks, which is warmer?' },
        ],
      },
    ])
  })

  it('keeps tool call ids pairing when another provider minted them with characters Anthropic refuses', () => {
    const body = translate({
      messages: [
        user('hi'),
        { role: 'assistant', content: null, tool_calls: [{ id: 'functions.get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'functions.get_weather:0', content: 'sunny' },
      ],
    })
    expect(body.messages[1].content[0].id).toBe('functions_get_weather_0')
    expect(body.messages[2].content[0].tool_use_id).toBe('functions_get_weather_0')
  })

  it('maps data: images to base64 sources and http(s) images to URL sources', () => {
    const body = translate({
      messages: [user([
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
        { type: 'text', text: 'Compare.' },
      ])],
    })
    expect(body.messages[0].content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'text', text: 'Compare.' },
    ])
    expect(() => translate({ messages: [user([{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }])] })).toThrow(GatewayError)
    expect(() => translate({ messages: [user([{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }])] })).toThrow(/input_audio/)
  })

  it('answers response_format through a forced tool', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
    const body = translate({ messages: [user('hi')], response_format: { type: 'json_schema', json_schema: { name: 'place', schema, strict: true } } })
    expect(body.tools).toEqual([{ name: JSON_TOOL, description: expect.any(String), input_schema: schema }])
    expect(body.tool_choice).toEqual({ type: 'tool', name: JSON_TOOL })
    const obj = translate({ messages: [user('hi')], response_format: { type: 'json_object' } })
    expect(obj.tools[0]).toMatchObject({ name: JSON_TOOL, input_schema: { type: 'object' } })
    // With client tools the model may call one of them first, or answer through the JSON tool.
    const both = translate({ messages: [user('hi')], tools: [weather], response_format: { type: 'json_object' } })
    expect(both.tools.map((t: any) => t.name)).toEqual(['get_weather', JSON_TOOL])
    expect(both.tool_choice).toEqual({ type: 'any' })
    expect(translate({ messages: [user('hi')], response_format: { type: 'text' } })).not.toHaveProperty('tools')
  })
})

describe('response translation', () => {
  const msg = (over: object) => JSON.stringify({
    id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-opus-4-8-20261101', stop_reason: 'end_turn', stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }, content: [], ...over,
  })

  it('joins text blocks into a full chat.completion', () => {
    const { body, usage } = anthropic.chat.response(msg({ content: [{ type: 'text', text: 'Hello' }, { type: 'text', text: ' world' }] }), target())
    const parsed = JSON.parse(body)
    expect(parsed).toEqual({
      id: 'msg_01', object: 'chat.completion', created: expect.any(Number), model: 'claude-opus-4-8-20261101',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
    })
    expect(usage).toEqual({ promptTokens: 10, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, completionTokens: 5, reasoningTokens: 0 })
  })

  it('turns tool_use blocks into tool_calls with finish_reason tool_calls', () => {
    const { body } = anthropic.chat.response(msg({
      stop_reason: 'tool_use',
      content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Paris' } }],
    }), target())
    const choice = JSON.parse(body).choices[0]
    expect(choice.finish_reason).toBe('tool_calls')
    expect(choice.message.content).toBe('Checking.')
    expect(choice.message.tool_calls).toEqual([{ id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }])
  })

  it('counts cache reads and writes into prompt_tokens', () => {
    const { body, usage } = anthropic.chat.response(msg({
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 300, output_tokens: 7, output_tokens_details: { thinking_tokens: 3 } },
    }), target())
    expect(usage).toEqual({ promptTokens: 1320, cachedTokens: 1000, cacheWriteTokens: 300, cacheWrite1hTokens: 0, completionTokens: 7, reasoningTokens: 3 })
    expect(JSON.parse(body).usage).toEqual({
      prompt_tokens: 1320, completion_tokens: 7, total_tokens: 1327, prompt_tokens_details: { cached_tokens: 1000 }, completion_tokens_details: { reasoning_tokens: 3 },
    })
  })

  it('keeps the 1-hour part of the cache writes that cache_creation reports', () => {
    const { usage } = anthropic.chat.response(msg({
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 3000, cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 }, output_tokens: 7 },
    }), target())
    expect(usage).toMatchObject({ promptTokens: 3020, cacheWriteTokens: 3000, cacheWrite1hTokens: 2000 })
  })

  it('maps stop reasons, keeps thinking out of the content, and answers a response_format from its tool', () => {
    const finish = (stop_reason: string) => JSON.parse(anthropic.chat.response(msg({ stop_reason, content: [{ type: 'text', text: 'x' }] }), target()).body).choices[0].finish_reason
    expect(['end_turn', 'stop_sequence', 'pause_turn', 'max_tokens', 'refusal'].map(finish)).toEqual(['stop', 'stop', 'stop', 'length', 'content_filter'])
    const thought = JSON.parse(anthropic.chat.response(msg({ content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'text', text: 'Yes.' }] }), target()).body)
    expect(thought.choices[0].message).toMatchObject({ content: 'Yes.', reasoning_content: 'hmm' })
    const json = JSON.parse(anthropic.chat.response(msg({ stop_reason: 'tool_use', content: [{ type: 'tool_use', id: 'toolu_1', name: JSON_TOOL, input: { city: 'Paris' } }] }), target()).body)
    expect(json.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: '{"city":"Paris"}' } })
    expect(json.choices[0].message).not.toHaveProperty('tool_calls')
  })
})

describe('stream translation', () => {
  const recorded = existsSync(RECORDED)
  it.skipIf(!recorded)(recorded ? 'translates the real recorded tool-use stream' : `translates the real recorded stream (skipped: ${RECORDED} is absent)`, async () => {
    const { chunks, translator } = feed(readFileSync(RECORDED, 'utf8'))
    for (const c of chunks) expect(c).toMatchObject({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1700000000, model: 'claude-opus-4-8' })
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' })
    const deltas = chunks.filter(c => c.choices.length).map(c => c.choices[0].delta)
    expect(deltas.map(d => d.content ?? '').join('')).toBe('I\'ll check the current weather in Paris for you.')
    const calls = deltas.flatMap(d => d.tool_calls ?? [])
    expect(calls.every(c => c.index === 0)).toBe(true) // Anthropic's block index is 1
    expect(calls[0]).toEqual({ index: 0, id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', type: 'function', function: { name: 'get_weather', arguments: '' } })
    expect(JSON.parse(calls.map(c => c.function.arguments).join(''))).toEqual({ location: 'Paris' })
    const finish = chunks.find(c => c.choices[0]?.finish_reason)
    expect(finish.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' })
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 377, completion_tokens: 65, total_tokens: 442 } })
    expect(translator.usage()).toEqual({ promptTokens: 377, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, completionTokens: 65, reasoningTokens: 0 })

    const final = await openaiSdkFinal(chunks)
    expect(final.choices[0]!.message.content).toBe('I\'ll check the current weather in Paris for you.')
    expect(final.choices[0]!.message.tool_calls).toEqual([{ id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', type: 'function', function: { name: 'get_weather', arguments: '{"location": "Paris"}' } }])
    expect(final.choices[0]!.finish_reason).toBe('tool_calls')
  })

  it('leaves the usage chunk out unless asked, and knows usage as far as the stream went', () => {
    const start = sse('message_start', { message: { id: 'msg_1', model: 'claude-x', content: [], usage: { input_tokens: 50, cache_read_input_tokens: 10, output_tokens: 1 } } })
    const partial = feed(start + sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi' } }), target(), false)
    expect(partial.chunks.map(c => c.choices[0]?.finish_reason ?? null)).toEqual([null, null]) // no finish: the stream was cut
    expect(partial.translator.usage()).toMatchObject({ promptTokens: 60, cachedTokens: 10, completionTokens: 1 })
    const whole = feed(`${start}${sse('message_delta', { delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 9, input_tokens: 50 } })}${sse('message_stop')}`, target(), false)
    expect(whole.chunks.at(-1).choices[0].finish_reason).toBe('length')
    expect(whole.chunks.some(c => c.usage)).toBe(false)
    expect(whole.translator.usage()).toMatchObject({ promptTokens: 60, completionTokens: 9 })
  })

  it('keeps the cache-write split of a stream, from message_start or the message_delta that repeats it', () => {
    const creation = { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 400 }
    const start = sse('message_start', { message: { id: 'msg_1', model: 'claude-x', content: [], usage: { input_tokens: 5, cache_creation_input_tokens: 500, cache_creation: creation, output_tokens: 1 } } })
    const end = `${sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } })}${sse('message_stop')}`
    expect(feed(start + end, target(), false).translator.usage()).toMatchObject({ promptTokens: 505, cacheWriteTokens: 500, cacheWrite1hTokens: 400, completionTokens: 3 })
    const repeated = `${sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3, input_tokens: 5, cache_creation_input_tokens: 500, cache_creation: creation } })}${sse('message_stop')}`
    expect(feed(start + repeated, target(), false).translator.usage()).toMatchObject({ cacheWriteTokens: 500, cacheWrite1hTokens: 400 })
  })

  it('streams thinking as reasoning_content and a response_format tool as content', () => {
    const { chunks } = feed([
      sse('message_start', { message: { id: 'msg_1', model: 'claude-x', content: [], usage: { input_tokens: 5, output_tokens: 1 } } }),
      sse('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
      sse('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Let me see.' } }),
      sse('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'sig' } }),
      sse('content_block_stop', { index: 0 }),
      sse('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_j', name: JSON_TOOL, input: {} } }),
      sse('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } }),
      sse('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }),
      sse('content_block_stop', { index: 1 }),
      sse('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } }),
      sse('message_stop'),
    ].join(''))
    const deltas = chunks.filter(c => c.choices.length).map(c => c.choices[0].delta)
    expect(deltas.map(d => d.reasoning_content ?? '').join('')).toBe('Let me see.')
    expect(deltas.map(d => d.content ?? '').join('')).toBe('{"city":"Paris"}')
    expect(deltas.some(d => d.tool_calls)).toBe(false)
    expect(chunks.find(c => c.choices[0]?.finish_reason).choices[0].finish_reason).toBe('stop')
  })

  it('throws a StreamFailure for an in-stream error event', () => {
    const failure = (type: string) => {
      const translator = anthropic.chat.stream(target(), { includeUsage: false, id: 'chatcmpl-x', created: 1 })
      try {
        translator.push({ event: 'error', data: JSON.stringify({ type: 'error', error: { type, message: 'Overloaded' } }) })
      }
      catch (e) {
        expect(e).toBeInstanceOf(StreamFailure)
        return (e as StreamFailure).failure
      }
      throw new Error('no StreamFailure thrown')
    }
    expect(failure('overloaded_error')).toMatchObject({ status: 503, type: 'service_unavailable' })
    expect(failure('rate_limit_error')).toMatchObject({ status: 429, type: 'rate_limit_error' })
    expect(failure('api_error')).toMatchObject({ status: 502, type: 'upstream_error' })
  })
})

describe('errors', () => {
  const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_1' })

  it('turns a rejected key into a 502 that does not show the key', () => {
    const f = anthropic.error(401, body('authentication_error', 'invalid x-api-key sk-ant-api03-secret-key-0123456789'))
    expect(f).toMatchObject({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed' })
    expect(JSON.stringify(f)).not.toContain('secret-key')
  })

  it('maps 529 overloaded to 503, 400 to 400 with Anthropic\'s type as the code, and survives a non-JSON body', () => {
    expect(anthropic.error(529, body('overloaded_error', 'Overloaded'))).toMatchObject({ status: 503, type: 'service_unavailable' })
    expect(anthropic.error(400, body('invalid_request_error', 'max_tokens: Field required'))).toEqual({
      status: 400, type: 'invalid_request_error', code: 'invalid_request_error', message: 'Anthropic rejected the request: max_tokens: Field required',
    })
    expect(anthropic.error(429, body('rate_limit_error', 'slow down'))).toMatchObject({ status: 429, code: 'rate_limit_error' })
    expect(anthropic.error(502, '<html>Bad gateway</html>')).toMatchObject({ status: 502, type: 'upstream_error' })
  })
})

describe('against the strict fake Anthropic server', () => {
  let fake: FakeAnthropic
  let t: UpstreamTarget
  beforeAll(async () => {
    fake = await startFakeAnthropic()
    t = target({ baseUrl: fake.url, apiKey: fake.apiKey })
  })
  afterAll(() => fake?.close())

  async function call(req: Record<string, unknown>, stream = false) {
    const up = anthropic.chat.request(ChatCompletionRequest.parse({ model: 'claude-opus-4-8', ...req }), t, { stream })
    const res = await fetch(up.url, { method: 'POST', headers: up.headers, body: up.body })
    return { status: res.status, text: await res.text() }
  }

  it('runs a whole tool conversation the fake accepts', async () => {
    const messages: any[] = [{ role: 'system', content: 'Be brief.' }, user('What is the weather in Paris?')]
    const first = await call({ messages, tools: [weather], temperature: 1.5, top_p: 1 })
    expect(first.status).toBe(200)
    const answer = JSON.parse(anthropic.chat.response(first.text, t).body).choices[0]
    expect(answer.finish_reason).toBe('tool_calls')
    expect(answer.message.tool_calls[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } })
    messages.push(answer.message, { role: 'tool', tool_call_id: answer.message.tool_calls[0].id, content: '18°C and sunny' })
    const second = await call({ messages, tools: [weather] })
    expect(second.status).toBe(200)
    expect(JSON.parse(anthropic.chat.response(second.text, t).body).choices[0].message.content).toBe('tool result: 18°C and sunny')
  })

  it('sends conversations the API would refuse as OpenAI wrote them', async () => {
    const res = await call({
      messages: [{ role: 'assistant', content: 'Hi!' }, user('one'), { role: 'developer', content: 'Be terse.' }, user('two'), { role: 'assistant', content: 'ok' }, user('three [cached]')],
      stop: 'zzz', user: 'u1', n: 1, seed: 3,
    })
    expect(res.status).toBe(200)
    const { body, usage } = anthropic.chat.response(res.text, t)
    expect(JSON.parse(body).choices[0].message.content).toBe('echo: [cached] three')
    expect(usage.cachedTokens).toBe(1024)
  })

  it('streams through the translator, usage included', async () => {
    const res = await call({ messages: [user('weather please [cached]')], tools: [weather], stream: true }, true)
    const { chunks, translator } = feed(res.text, t)
    const final = await openaiSdkFinal(chunks)
    expect(final.choices[0]!.message.content).toBe('Let me check the weather.')
    expect(final.choices[0]!.message.tool_calls![0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } })
    expect(final.choices[0]!.finish_reason).toBe('tool_calls')
    expect(translator.usage()).toMatchObject({ cachedTokens: 1024, completionTokens: 5 + 12 })
    expect(chunks.at(-1).usage.prompt_tokens).toBe(translator.usage()!.promptTokens)
  })

  it('answers a json_schema response_format as content, streamed or not', async () => {
    const req = { messages: [user('Where?')], response_format: { type: 'json_schema', json_schema: { name: 'place', schema: { type: 'object', properties: { city: { type: 'string' } } } } } }
    const plain = JSON.parse(anthropic.chat.response((await call(req)).text, t).body).choices[0]
    expect(plain).toMatchObject({ finish_reason: 'stop', message: { content: '{"city":"Paris"}' } })
    const { chunks } = feed((await call({ ...req, stream: true }, true)).text, t)
    const final = await openaiSdkFinal(chunks)
    expect(JSON.parse(final.choices[0]!.message.content!)).toEqual({ city: 'Paris' })
    expect(final.choices[0]!.finish_reason).toBe('stop')
  })

  it('maps the fake\'s failures: 529 before the stream, an error event inside it', async () => {
    const overloaded = await call({ messages: [user('hi [fail-529]')] })
    expect(overloaded.status).toBe(529)
    expect(anthropic.error(overloaded.status, overloaded.text)).toMatchObject({ status: 503, code: 'upstream_overloaded' })
    const res = await call({ messages: [user('hi [fail-midstream]')], stream: true }, true)
    expect(() => feed(res.text, t)).toThrow(StreamFailure)
  })
})

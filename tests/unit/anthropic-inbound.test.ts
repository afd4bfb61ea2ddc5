// The Anthropic-compatible inbound codec (/v1/messages): Anthropic requests → OpenAI requests,
// OpenAI answers and chunks → Anthropic messages and SSE, errors, and the native passthrough helpers.
// The SSE the writer produces is read back by the official @anthropic-ai/sdk stream accumulator.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Anthropic from '@anthropic-ai/sdk'
import { createParser } from 'eventsource-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GatewayError } from '../../server/utils/core/errors'
import { toAnthropicError } from '../../server/utils/inbound/anthropic/errors'
import { chatCompletionToMessage } from '../../server/utils/inbound/anthropic/from-openai'
import { nativeMessagesRequest, nativeResponseUsage, nativeStreamUsage } from '../../server/utils/inbound/anthropic/native'
import { MessagesRequest } from '../../server/utils/dialects/anthropic'
import { createMessagesStreamWriter, errorEvent } from '../../server/utils/inbound/anthropic/stream'
import { messagesToChatRequest } from '../../server/utils/inbound/anthropic/to-openai'
import { anthropic } from '../../server/utils/providers/anthropic'
import type { UpstreamTarget } from '../../server/utils/providers/types'
import type { ModelEntry } from '../../server/utils/registry/schema'
import { type FakeAnthropic, startFakeAnthropic } from '../helpers/fake-anthropic'

const RECORDED = path.resolve(__dirname, '../../../shared/fixtures/streams/anthropic-tool-use.sse')
const recorded = existsSync(RECORDED)

const entry: ModelEntry = {
  id: 'claude-opus-4-8', provider: 'anthropic', mode: 'chat', pricing: { input: 5, output: 25 },
  aliases: [], status: 'active', source: 'seed', updatedAt: '2026-11-26T00:00:00.000Z',
}
const target = (over: Partial<UpstreamTarget> = {}): UpstreamTarget =>
  ({ provider: 'anthropic', model: 'claude-opus-4-8', entry, baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-key', ...over })

const request = (over: Record<string, unknown> = {}) => MessagesRequest.parse({ model: 'gpt-4o-mini', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }], ...over })

/** An Anthropic SDK client whose every request is answered with `body` (JSON, or SSE text). */
function sdkAnswering(body: string, contentType: string) {
  return new Anthropic({ apiKey: 'sk-gw-test', baseURL: 'http://gateway.test', maxRetries: 0, fetch: async () => new Response(body, { headers: { 'content-type': contentType } }) })
}
const sdkStream = (sse: string) =>
  sdkAnswering(sse, 'text/event-stream').messages.stream({ model: 'gpt-4o-mini', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()

function eventsOf(sse: string) {
  const events: { event?: string, data: any }[] = []
  createParser({ onEvent: e => events.push({ event: e.event, data: JSON.parse(e.data) }) }).feed(sse)
  return events
}

describe('MessagesRequest schema', () => {
  it('accepts Anthropic requests, unknown fields included, and names a bad field', () => {
    const req = request({ system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }], output_config: { effort: 'low' }, tool_choice: { type: 'any' } })
    expect(req.output_config).toEqual({ effort: 'low' })
    expect(() => request({ max_tokens: undefined })).toThrow(/max_tokens/)
    expect(() => request({ messages: [{ role: 'tool', content: 'x' }] })).toThrow()
    expect(() => request({ tool_choice: { type: 'tool' } })).toThrow()
  })
})

describe('messagesToChatRequest', () => {
  it('maps system, roles, tool_use/tool_result, images and parameters', () => {
    const req = request({
      system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Be kind.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] },
        {
          role: 'assistant', content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user', content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18°C' }] },
            { type: 'text', text: 'And this?' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Go.' },
      ],
      tools: [{ name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }, { name: 'now' }],
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
      stop_sequences: ['END'], temperature: 0.4, top_p: 0.9, top_k: 5, metadata: { user_id: 'u-1' }, stream: true,
    })
    expect(messagesToChatRequest(req)).toEqual({
      model: 'gpt-4o-mini',
      max_completion_tokens: 256,
      messages: [
        { role: 'system', content: 'Be brief.\n\nBe kind.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
        { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
        { role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }] },
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Go.' },
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
        { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      stop: ['END'],
      temperature: 0.4,
      top_p: 0.9,
      stream: true,
      stream_options: { include_usage: true },
    })
  })

  it('asks for web search in the chat form for the web search server tool, in any version', () => {
    const tools = [{ name: 'Read', input_schema: { type: 'object' } }, { type: 'web_search_20250305', name: 'web_search', max_uses: 5 }]
    const chat = messagesToChatRequest(request({ tools }))
    expect(chat.web_search_options).toEqual({})
    expect(chat.tools?.map(t => t.function.name)).toEqual(['Read'])
    const only = messagesToChatRequest(request({ tools: [{ type: 'web_search_20260209', name: 'web_search' }], tool_choice: { type: 'auto' } }))
    expect(only).toMatchObject({ web_search_options: {} })
    expect(only.tools).toBeUndefined()
    expect(only.tool_choice).toBeUndefined()
  })

  it('maps the other tool choices and leaves assistant content null beside tool calls', () => {
    const tools = [{ name: 'f', input_schema: { type: 'object' } }]
    const choice = (type: string) => messagesToChatRequest(request({ tools, tool_choice: { type } })).tool_choice
    expect([choice('auto'), choice('any'), choice('none')]).toEqual(['auto', 'required', 'none'])
    const chat = messagesToChatRequest(request({
      tools,
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'done' }] },
      ],
    }))
    expect(chat.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'done' },
    ])
  })

  it('refuses with a 400 what only Claude can take', () => {
    const doc = { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }] }
    expect(() => messagesToChatRequest(request({ messages: [doc] }))).toThrow(GatewayError)
    expect(() => messagesToChatRequest(request({ tools: [{ type: 'code_execution_20250825', name: 'code_execution' }] }))).toThrow(/server tool 'code_execution'/)
    expect(() => messagesToChatRequest(request({ max_tokens: 0 }))).toThrow(/max_tokens 0/)
  })
})

describe('chatCompletionToMessage', () => {
  const completion = (message: object, finish_reason: string, usage = { prompt_tokens: 1100, completion_tokens: 12, prompt_tokens_details: { cached_tokens: 1024 } }) =>
    JSON.stringify({ id: 'chatcmpl-abc', object: 'chat.completion', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, message, finish_reason }], usage })

  it('builds a Message the Anthropic SDK reads: text, tool_use with parsed input, stop reason, usage', async () => {
    const msg = chatCompletionToMessage(completion({
      role: 'assistant', content: 'Checking.',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    }, 'tool_calls'), 'gpt-4o-mini')
    expect(msg).toEqual({
      id: 'msg_abc', type: 'message', role: 'assistant', model: 'gpt-4o-mini',
      content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
      stop_reason: 'tool_use', stop_sequence: null,
      usage: { input_tokens: 76, cache_creation_input_tokens: 0, cache_read_input_tokens: 1024, output_tokens: 12 },
    })
    const viaSdk = await sdkAnswering(JSON.stringify(msg), 'application/json').messages.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
    expect(viaSdk.content[1]).toMatchObject({ type: 'tool_use', input: { city: 'Paris' } })
  })

  it('maps finish reasons to stop reasons', () => {
    const stop = (finish: string) => chatCompletionToMessage(completion({ role: 'assistant', content: 'x' }, finish), 'm').stop_reason
    expect(['stop', 'length', 'tool_calls', 'content_filter'].map(stop)).toEqual(['end_turn', 'max_tokens', 'tool_use', 'refusal'])
    expect(chatCompletionToMessage(completion({ role: 'assistant', content: null, refusal: 'I can\'t.' }, 'stop'), 'm')).toMatchObject({ stop_reason: 'refusal', content: [{ type: 'text', text: 'I can\'t.' }] })
  })
})

describe('createMessagesStreamWriter', () => {
  const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' }
  const chunk = (delta: object, finish_reason: string | null = null) => JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason }] })
  const usageChunk = JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 1100, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 1024 } } })
  const toolChunks = [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Let me ' }),
    chunk({ content: 'check.' }),
    chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
    chunk({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
    chunk({}, 'tool_calls'),
    usageChunk,
  ]

  it('writes Anthropic\'s event sequence, which the SDK accumulates into the same message', async () => {
    const writer = createMessagesStreamWriter({ id: 'msg_1', model: 'gpt-4o-mini' })
    const sse = toolChunks.map(c => writer.push(c)).join('') + writer.end()
    const events = eventsOf(sse)
    expect(events.map(e => e.event)).toEqual([
      'message_start',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ])
    for (const e of events) expect(e.data.type).toBe(e.event)
    expect(events.filter(e => e.event === 'content_block_start').map(e => e.data.index)).toEqual([0, 1, 2])
    expect(events.at(-2)!.data).toEqual({
      type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 76, cache_creation_input_tokens: 0, cache_read_input_tokens: 1024, output_tokens: 9 },
    })

    const msg = await sdkStream(sse)
    expect(msg).toMatchObject({ id: 'msg_1', model: 'gpt-4o-mini', stop_reason: 'tool_use' })
    expect(msg.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
    ])
    expect(msg.usage).toMatchObject({ input_tokens: 76, cache_read_input_tokens: 1024, output_tokens: 9 })
  })

  it('tells tool calls apart by index, also when a server repeats the id on every fragment', async () => {
    const writer = createMessagesStreamWriter({ id: 'msg_4', model: 'm' })
    const fragment = (args: string) => chunk({ tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'f', arguments: args } }] })
    const sse = [fragment('{"a"'), fragment(':1}'), chunk({}, 'tool_calls')].map(c => writer.push(c)).join('') + writer.end()
    expect((await sdkStream(sse)).content).toEqual([{ type: 'tool_use', id: 'call_9', name: 'f', input: { a: 1 } }])
  })

  it('closes the message at end() when no usage chunk came, with the usage it is given', async () => {
    const writer = createMessagesStreamWriter({ id: 'msg_2', model: 'm' })
    const sse = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hi' }), chunk({}, 'length')].map(c => writer.push(c)).join('')
    expect(sse).not.toContain('message_delta')
    const tail = writer.end({ promptTokens: 10, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 1, reasoningTokens: 0 })
    expect(writer.end()).toBe('')
    const msg = await sdkStream(sse + tail)
    expect(msg).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'text', text: 'Hi' }], usage: { input_tokens: 10, output_tokens: 1 } })
  })

  it('turns an error payload into an error event the SDK raises', async () => {
    const writer = createMessagesStreamWriter({ id: 'msg_3', model: 'm' })
    const sse = writer.push(chunk({ content: 'Hi' })) + writer.push(JSON.stringify({ error: { message: 'Upstream overloaded', type: 'service_unavailable', param: null, code: 'upstream_overloaded' } }))
    expect(writer.end()).toBe('')
    expect(eventsOf(sse).at(-1)).toEqual({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Upstream overloaded' } } })
    await expect(sdkStream(sse)).rejects.toMatchObject({ error: { error: { type: 'overloaded_error' } } })
    expect(errorEvent('api_error', 'boom')).toBe('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"boom"}}\n\n')
  })

  it.skipIf(!recorded)(recorded ? 'round-trips the real recorded stream: Anthropic → OpenAI chunks → Anthropic' : 'round-trips the recorded stream (skipped: fixture absent)', async () => {
    const translator = anthropic.chat.stream(target(), { includeUsage: true, id: 'chatcmpl-r', created: 1 })
    const writer = createMessagesStreamWriter({ id: 'msg_r', model: 'claude-opus-4-8' })
    let sse = ''
    createParser({ onEvent: e => translator.push({ event: e.event, data: e.data }).forEach((c) => { sse += writer.push(c) }) }).feed(readFileSync(RECORDED, 'utf8'))
    translator.end().forEach((c) => { sse += writer.push(c) })
    sse += writer.end(translator.usage())
    const msg = await sdkStream(sse)
    expect(msg.content).toEqual([
      { type: 'text', text: 'I\'ll check the current weather in Paris for you.' },
      { type: 'tool_use', id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather', input: { location: 'Paris' } },
    ])
    expect(msg).toMatchObject({ stop_reason: 'tool_use', usage: { input_tokens: 377, output_tokens: 65 } })
  })
})

describe('toAnthropicError', () => {
  it('maps gateway statuses and types to Anthropic\'s vocabulary', () => {
    const type = (status: number, openaiType?: string) => toAnthropicError(status, 'm', openaiType).error.type
    expect([400, 401, 403, 404, 413, 429, 500, 502, 503, 504, 529].map(s => type(s))).toEqual([
      'invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'request_too_large',
      'rate_limit_error', 'api_error', 'api_error', 'overloaded_error', 'timeout_error', 'overloaded_error',
    ])
    expect(type(422, 'invalid_request_error')).toBe('invalid_request_error')
    expect(toAnthropicError(401, 'Invalid API key.', 'authentication_error')).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'Invalid API key.' } })
  })
})

describe('native passthrough helpers', () => {
  let fake: FakeAnthropic
  beforeAll(async () => {
    fake = await startFakeAnthropic()
  })
  afterAll(() => fake?.close())

  it('sends the request as received with the target model and Anthropic\'s headers', () => {
    const up = nativeMessagesRequest(request({ model: 'claude-latest', thinking: { type: 'adaptive' } }), target(), { stream: true }, { 'anthropic-beta': 'context-1m-2025-08-07', 'x-api-key': 'sk-gw-client-key' })
    expect(up.url).toBe('https://api.anthropic.com/v1/messages')
    expect(up.headers).toEqual({ 'content-type': 'application/json', 'x-api-key': 'sk-ant-key', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'context-1m-2025-08-07' })
    expect(JSON.parse(up.body)).toEqual({ model: 'claude-opus-4-8', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }], thinking: { type: 'adaptive' }, stream: true })
    // A cap the gateway lowered (to the model's limit) replaces the client's.
    expect(JSON.parse(nativeMessagesRequest(request(), target(), { stream: false, maxOutputTokens: 100 }).body).max_tokens).toBe(100)
  })

  it('meters native answers, plain and streamed, from the fake', async () => {
    const t = target({ baseUrl: fake.url, apiKey: fake.apiKey })
    const req = request({ system: 'rules [cache-write]', messages: [{ role: 'user', content: 'hello [cached]' }] })
    const plain = nativeMessagesRequest(req, t, { stream: false })
    const body = await (await fetch(plain.url, { method: 'POST', headers: plain.headers, body: plain.body })).text()
    const usage = nativeResponseUsage(body)
    expect(usage).toMatchObject({ cachedTokens: 1024, cacheWriteTokens: 2048, completionTokens: 3 })

    const streamed = nativeMessagesRequest(req, t, { stream: true })
    const tracker = nativeStreamUsage()
    createParser({ onEvent: e => tracker.push({ event: e.event, data: e.data }) }).feed(await (await fetch(streamed.url, { method: 'POST', headers: streamed.headers, body: streamed.body })).text())
    expect(tracker.usage()).toEqual(usage)
  })

  it.skipIf(!recorded)('meters the real recorded stream', () => {
    const tracker = nativeStreamUsage()
    expect(tracker.usage()).toBeUndefined()
    createParser({ onEvent: e => tracker.push({ event: e.event, data: e.data }) }).feed(readFileSync(RECORDED, 'utf8'))
    expect(tracker.usage()).toEqual({ promptTokens: 377, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, completionTokens: 65, reasoningTokens: 0 })
  })
})

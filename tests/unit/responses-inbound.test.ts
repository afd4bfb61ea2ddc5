// The Responses API inbound codec: items → the gateway's chat request (calls and outputs paired by
// call_id, tools, text.format, what only OpenAI takes refused), chat chunks → Responses events in
// OpenAI's order (checked against the event schemas; tests/e2e/responses.test.ts reads them with the
// official SDK), and the native request OpenAI models get.
import { createParser } from 'eventsource-parser'
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../server/utils/core/errors'
import { ResponsesRequest } from '../../server/utils/dialects/openai-responses'
import { responsesNative } from '../../server/utils/gateway/stream-output'
import { chatCompletionToResponse } from '../../server/utils/inbound/openai-responses/from-chat'
import { conversationEntry, conversationIdOf, conversationItems, inputItems, listPage } from '../../server/utils/inbound/openai-responses/items'
import { nativeResponsesRequest, nativeResponseUsage, responseFailure } from '../../server/utils/inbound/openai-responses/native'
import { lastSequenceNumber, replayEvents } from '../../server/utils/inbound/openai-responses/replay'
import { responsesBodyUsage } from '../../server/utils/providers/openai/response'
import { createResponsesStreamWriter } from '../../server/utils/inbound/openai-responses/stream'
import { responsesToChatRequest } from '../../server/utils/inbound/openai-responses/to-chat'
import type { UpstreamTarget } from '../../server/utils/providers/types'
import type { ModelEntry } from '../../server/utils/registry/schema'
import { checkEventSequence, ResponseObject } from '../helpers/responses-schema'

const req = (body: Record<string, unknown>) => ResponsesRequest.parse({ model: 'claude-haiku-4-5', ...body })
const shell = (body: Record<string, unknown> = {}) => ({ id: 'resp_test', createdAt: 1_800_000_000, req: req(body) })
const entry: ModelEntry = {
  id: 'gpt-4o-mini', provider: 'openai', mode: 'chat', pricing: { input: 0.15, output: 0.6 },
  aliases: [], status: 'active', source: 'seed', updatedAt: '2026-11-26T00:00:00.000Z',
}
const target: UpstreamTarget = { provider: 'openai', model: 'gpt-4o-mini', entry, baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x' }

function events(sse: string): any[] {
  const out: any[] = []
  const parser = createParser({ onEvent: e => out.push(JSON.parse(e.data)) })
  parser.feed(sse)
  return out
}

describe('Responses items → chat', () => {
  it('turns messages, calls and their outputs into chat messages paired by call_id', () => {
    const r = req({
      instructions: 'Be terse.',
      input: [
        { role: 'user', content: 'weather?' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
        { type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'reasoning', summary: [] },
        { type: 'function_call_output', call_id: 'toolu_1', output: 'sunny' },
        { type: 'function_call_output', call_id: 'toolu_2', output: [{ type: 'input_text', text: 'rain' }] },
        { role: 'user', content: [{ type: 'input_text', text: 'and' }, { type: 'input_image', image_url: 'https://x/y.png', detail: 'low' }] },
      ],
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: true }],
      tool_choice: { type: 'function', name: 'get_weather' },
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      max_output_tokens: 100,
      stream: true,
    })
    const chat = responsesToChatRequest(r, inputItems(r.input))
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: 'Looking.', tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
      ] },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'rain' },
      { role: 'user', content: [{ type: 'text', text: 'and' }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } }] },
    ])
    expect(chat).toMatchObject({
      max_completion_tokens: 100,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      stream: true,
      stream_options: { include_usage: true },
    })
  })

  it('refuses what only OpenAI takes, naming the field', () => {
    const refused = (body: Record<string, unknown>) => {
      const r = req(body)
      return () => responsesToChatRequest(r, inputItems(r.input))
    }
    expect(refused({ input: 'x', tools: [{ type: 'function', name: 'f' }, { type: 'file_search', vector_store_ids: ['vs_1'] }] }))
      .toThrow(expect.objectContaining({ status: 400, param: 'tools[1]', message: expect.stringContaining('\'file_search\'') }))
    expect(refused({ input: 'x', tools: [{ type: 'namespace', name: 'ns', tools: [{ type: 'custom', name: 'patch' }] }] }))
      .toThrow(expect.objectContaining({ status: 400, param: 'tools[0].tools[0]' }))
    expect(refused({ input: [{ type: 'item_reference', id: 'msg_1' }] })).toThrow(expect.objectContaining({ status: 400, param: 'input[0]' }))
    expect(refused({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] })).toThrow(expect.objectContaining({ param: 'input[0].content[0]' }))
    expect(refused({})).toThrow(expect.objectContaining({ code: 'missing_required_parameter' }))
  })

  it('flattens a namespace tool into functions, web search into web_search_options, and sends no client metadata', () => {
    const r = req({
      input: [
        { role: 'user', content: 'spawn one' },
        { type: 'function_call', call_id: 'c1', name: 'spawn_agent', namespace: 'collaboration', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'ok' },
      ],
      tools: [
        { type: 'function', name: 'shell', parameters: { type: 'object' } },
        { type: 'namespace', name: 'collaboration', description: 'Agents', tools: [{ type: 'function', name: 'spawn_agent', description: 'Spawns', parameters: { type: 'object' } }] },
        { type: 'web_search' },
      ],
      tool_choice: { type: 'function', name: 'spawn_agent', namespace: 'collaboration' },
      metadata: { a: 'b' }, user: 'u', safety_identifier: 's', prompt_cache_key: 'k', client_metadata: { session_id: 'x' },
    })
    const chat = responsesToChatRequest(r, inputItems(r.input))
    expect(chat.tools?.map(t => t.function.name)).toEqual(['shell', 'collaboration__spawn_agent'])
    expect(chat.web_search_options).toEqual({})
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'collaboration__spawn_agent' } })
    expect(chat.messages[1]).toMatchObject({ tool_calls: [{ function: { name: 'collaboration__spawn_agent' } }] })
    for (const field of ['metadata', 'user', 'safety_identifier', 'prompt_cache_key', 'client_metadata']) expect(chat).not.toHaveProperty(field)
  })

  it('answers a call of a flattened name as the namespaced function_call, streamed and not', () => {
    const tools = [{ type: 'namespace', name: 'collaboration', tools: [{ type: 'function', name: 'spawn_agent' }] }]
    const completion = { choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'collaboration__spawn_agent', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] }
    const { response } = chatCompletionToResponse(JSON.stringify(completion), shell({ input: 'x', tools }))
    expect(response.output[0]).toMatchObject({ type: 'function_call', name: 'spawn_agent', namespace: 'collaboration', call_id: 'c1' })
    const writer = createResponsesStreamWriter(shell({ input: 'x', tools }))
    const sse = writer.push(JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'collaboration__spawn_agent', arguments: '{}' } }] } }] }))
      + writer.push(JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }))
    const added = events(sse).find(e => e.type === 'response.output_item.added')
    expect(added.item).toMatchObject({ name: 'spawn_agent', namespace: 'collaboration' })
  })

  it('gives input items ids and flattens a chain into its conversation', () => {
    const items = inputItems('hi')
    expect(items).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }], id: expect.stringMatching(/^msg_[0-9a-f]{48}$/) }])
    expect(inputItems([{ type: 'function_call_output', id: 'fco_mine', call_id: 'c', output: 'x' }])[0]!.id).toBe('fco_mine')
    const out = { id: 'msg_out', type: 'message' }
    expect(conversationItems([{ input: items, response: { output: [out] } }, { input: [], response: {} }])).toEqual([...items, out])
  })
})

describe('chat → Responses', () => {
  it('turns a completion into a response object, incomplete when cut at the cap', () => {
    const completion = {
      choices: [{ message: { role: 'assistant', content: 'Hi', tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'length' }],
      usage: { prompt_tokens: 10, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 1 } },
    }
    const { response, usage } = chatCompletionToResponse(JSON.stringify(completion), shell({ input: 'x' }))
    ResponseObject.parse(response)
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hi' }] }, { type: 'function_call', call_id: 'toolu_9', name: 'f', arguments: '{}' }],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 2 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 1 }, total_tokens: 14 },
    })
    expect(usage.promptTokens).toBe(10)
  })

  it('streams text then tool calls as OpenAI orders the events', () => {
    const writer = createResponsesStreamWriter(shell({ input: 'x', stream: true }))
    const chunk = (delta: object, finish: string | null = null) => JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })
    let sse = writer.push(chunk({ role: 'assistant', content: 'Let me ' }))
      + writer.push(chunk({ content: 'check.' }))
      + writer.push(chunk({ tool_calls: [{ index: 0, id: 'toolu_a', function: { name: 'get_weather', arguments: '' } }] }))
      + writer.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }))
      + writer.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }))
      + writer.push(chunk({ tool_calls: [{ index: 1, id: 'toolu_b', function: { name: 'get_time', arguments: '{}' } }] }))
      + writer.push(chunk({}, 'tool_calls'))
      + writer.push(JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 5 } }))
    const { head, response, terminal } = writer.finish(undefined)
    sse += head + terminal()
    const parsed = checkEventSequence(events(sse))
    expect(parsed.map(e => e.type)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ])
    expect(response).toMatchObject({ status: 'completed', usage: { input_tokens: 7, output_tokens: 5 } })
    expect(response.output).toMatchObject([
      { type: 'message', content: [{ text: 'Let me check.' }] },
      { type: 'function_call', call_id: 'toolu_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'toolu_b', name: 'get_time', arguments: '{}' },
    ])
  })

  it('replays a stored response as the events that make it, after a given sequence number', () => {
    const completion = { choices: [{ message: { content: 'Hi there', tool_calls: [{ id: 'toolu_r', function: { name: 'f', arguments: '{"a":1}' } }] }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 3, completion_tokens: 2 } }
    const { response } = chatCompletionToResponse(JSON.stringify(completion), shell({ input: 'x' }))
    const replayed = checkEventSequence(events(replayEvents(response)))
    expect(replayed.map(e => e.type)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ])
    expect((replayed.at(-1) as any).response).toEqual(response)
    expect(events(replayEvents(response, 10)).map(e => e.sequence_number)).toEqual([11, 12])
  })

  it('replays a background response that has not finished as its first events only, to be followed from there', () => {
    const queued = { ...chatCompletionToResponse(JSON.stringify({ choices: [{ message: { content: 'x' } }] }), shell({ input: 'x' })).response, status: 'queued', output: [], usage: null }
    expect(events(replayEvents(queued)).map(e => e.type)).toEqual(['response.created', 'response.in_progress'])
    expect(lastSequenceNumber(queued)).toBe(1)
    expect(events(replayEvents({ ...queued, status: 'cancelled' })).map(e => e.type)).toEqual(['response.created', 'response.in_progress'])
  })

  it('logs a failed OpenAI response by its error code: the client\'s fault as 400, a rate limit as 429, the rest as 500', () => {
    const failed = (code?: string) => responseFailure({ status: 'failed', error: code ? { code } : null })
    expect(responseFailure({ status: 'completed', error: null })).toBeUndefined()
    expect(failed('server_error')).toEqual({ status: 500, code: 'server_error' })
    expect(failed('rate_limit_exceeded')).toEqual({ status: 429, code: 'rate_limit_exceeded' })
    expect(failed('invalid_prompt')).toEqual({ status: 400, code: 'invalid_prompt' })
    expect(failed('image_too_large')).toEqual({ status: 400, code: 'image_too_large' })
    expect(failed('bio_policy')).toEqual({ status: 400, code: 'bio_policy' })
    expect(failed()).toEqual({ status: 500, code: 'server_error' })
  })

  it('tells a failure after the first byte as response.failed, numbered after the last event', () => {
    const writer = createResponsesStreamWriter(shell({ input: 'x' }))
    const sse = writer.push(JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] })) + writer.failed('upstream_error', 'The provider failed.')
    const parsed = events(sse)
    expect(parsed.at(-1)).toMatchObject({ type: 'response.failed', sequence_number: parsed.length - 1, response: { status: 'failed', error: { code: 'upstream_error', message: 'The provider failed.' } } })
  })
})

describe('native OpenAI requests', () => {
  it('sends the client\'s own text when nothing changes, and the conversation instead of an id OpenAI does not hold', () => {
    const raw = '{"model":"gpt-4o-mini","input":"hi","future_field":1}'
    const r = ResponsesRequest.parse(JSON.parse(raw))
    expect(nativeResponsesRequest(r, target, { raw }).body).toBe(raw)
    expect(JSON.parse(nativeResponsesRequest(r, target, { raw, maxOutputTokens: 64 }).body)).toEqual({ model: 'gpt-4o-mini', input: 'hi', future_field: 1, max_output_tokens: 64 })
    const follow = ResponsesRequest.parse({ model: 'gpt-4o-mini', input: 'again', previous_response_id: 'resp_claude' })
    const history = [{ id: 'msg_gw', type: 'message', role: 'user', content: 'first' }, { id: 'rs_openai', type: 'reasoning', summary: [] }]
    const sent = JSON.parse(nativeResponsesRequest(follow, target, { history }).body)
    expect(sent.previous_response_id).toBeUndefined()
    expect(sent.input).toEqual([{ type: 'message', role: 'user', content: 'first' }, { id: 'rs_openai', type: 'reasoning', summary: [] }, { role: 'user', content: 'again' }])
    expect(nativeResponsesRequest(follow, target, {}).url).toBe('https://api.openai.com/v1/responses')
  })

  it('sends a gateway conversation as input, without the conversation OpenAI does not know', () => {
    const turn = ResponsesRequest.parse({ model: 'gpt-4o-mini', input: 'next', conversation: { id: 'conv_gw' } })
    const sent = JSON.parse(nativeResponsesRequest(turn, target, { history: [{ id: 'msg_gw', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'before' }] }] }).body)
    expect(sent.conversation).toBeUndefined()
    expect(sent.input).toEqual([{ type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'before' }] }, { role: 'user', content: 'next' }])
    // An empty conversation is still the gateway's: it is never named to OpenAI.
    expect(JSON.parse(nativeResponsesRequest(turn, target, { raw: '{}', history: [] }).body)).toEqual({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'next' }] })
  })

  it('reads the usage of an answer, from the parsed object or from the text alone', () => {
    const answer = {
      id: 'resp_1', output: [{ type: 'message', content: [{ type: 'output_text', text: 'the "usage": {"input_tokens": 999}' }] }],
      usage: { input_tokens: 12, input_tokens_details: { cached_tokens: 4 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 19 },
      user: null, metadata: {},
    }
    const usage = { promptTokens: 12, cachedTokens: 4, cacheWriteTokens: 0, completionTokens: 7, reasoningTokens: 3 }
    expect(nativeResponseUsage(answer)).toEqual(usage)
    expect(responsesBodyUsage(JSON.stringify(answer))).toEqual(usage)
  })
})

describe('native OpenAI streams', () => {
  const sse = (type: string, data: object) => ({ event: type, data: JSON.stringify({ type, ...data }) })
  const created = sse('response.created', { sequence_number: 0, response: { id: 'resp_n', status: 'in_progress', output: [] } })
  const delta = sse('response.output_text.delta', { sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hi' })
  const completed = sse('response.completed', { sequence_number: 2, response: { id: 'resp_n', status: 'completed', usage: { input_tokens: 3, output_tokens: 1 } } })

  it('passes events through and holds the terminal one until the response is kept', async () => {
    const kept: any[] = []
    const out = responsesNative(async (r) => { kept.push(r) })
    expect(out.event(created)).toBe(`event: response.created\ndata: ${created.data}\n\n`)
    out.event(delta)
    expect(out.event(completed)).toBe('')
    expect(kept).toEqual([])
    expect(await out.end()).toBe(`event: response.completed\ndata: ${completed.data}\n\n`)
    expect(kept).toEqual([{ id: 'resp_n', status: 'completed', usage: { input_tokens: 3, output_tokens: 1 } }])
    expect(out.usage()).toMatchObject({ promptTokens: 3, completionTokens: 1 })
  })

  it('adds the gateway\'s conversation to each response object it passes, and keeps it so', async () => {
    const kept: any[] = []
    const out = responsesNative(async (r) => { kept.push(r) }, { conversation: { id: 'conv_1' } })
    expect(events(out.event(created))[0].response).toEqual({ id: 'resp_n', status: 'in_progress', output: [], conversation: { id: 'conv_1' } })
    expect(out.event(delta)).toBe(`event: response.output_text.delta\ndata: ${delta.data}\n\n`)
    out.event(completed)
    expect(events(await out.end())[0]).toMatchObject({ type: 'response.completed', sequence_number: 2, response: { conversation: { id: 'conv_1' } } })
    expect(kept[0].conversation).toEqual({ id: 'conv_1' })
  })

  it('fails a stream that ends without its terminal event, and numbers its failure event after the last one', async () => {
    const out = responsesNative(async () => {})
    out.event(created)
    out.event(delta)
    await expect(out.end()).rejects.toMatchObject({ status: 502 })
    const failed = events(out.error(new GatewayError(502, 'gone', 'upstream_error', 'upstream_error')))[0]
    expect(failed).toEqual({ type: 'response.failed', sequence_number: 2, response: { id: 'resp_n', status: 'failed', output: [], error: { code: 'upstream_error', message: 'gone' } } })
  })
})

describe('conversation items', () => {
  it('keeps items in the shape OpenAI lists them: text as parts, completed unless said otherwise', () => {
    const [user, assistant, call, output, reasoning] = inputItems([
      { role: 'user', content: 'hi' },
      { type: 'message', role: 'assistant', content: 'hello' },
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}', status: 'incomplete' },
      { type: 'function_call_output', call_id: 'call_1', output: 'done' },
      { type: 'reasoning', summary: [] },
    ]).map(conversationEntry)
    expect(user).toEqual({ id: expect.stringMatching(/^msg_/), type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'hi' }] })
    expect(assistant).toMatchObject({ status: 'completed', content: [{ type: 'output_text', text: 'hello', annotations: [] }] })
    expect(call).toMatchObject({ status: 'incomplete' })
    expect(output).toMatchObject({ id: expect.stringMatching(/^fco_/), status: 'completed' })
    expect(reasoning).not.toHaveProperty('status')
  })

  it('pages a list of items after a cursor, either way round', () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map(id => ({ id }))
    expect(listPage(items, { limit: 2, order: 'desc' })).toEqual({ object: 'list', data: [{ id: 'e' }, { id: 'd' }], first_id: 'e', last_id: 'd', has_more: true })
    expect(listPage(items, { after: 'd', limit: 2, order: 'desc' })).toMatchObject({ data: [{ id: 'c' }, { id: 'b' }], has_more: true })
    expect(listPage(items, { after: 'c', limit: 5, order: 'asc' })).toMatchObject({ data: [{ id: 'd' }, { id: 'e' }], has_more: false })
    expect(listPage(items, { after: 'nope', limit: 5, order: 'asc' })).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false })
  })

  it('reads the conversation a request names, as an id or {id}', () => {
    expect(conversationIdOf(req({ conversation: 'conv_a' }))).toBe('conv_a')
    expect(conversationIdOf(req({ conversation: { id: 'conv_b' } }))).toBe('conv_b')
    expect(conversationIdOf(req({}))).toBeUndefined()
    expect(() => req({ conversation: { id: '' } })).toThrow()
  })

  it('answers translated responses with the conversation they belong to', () => {
    const completion = JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } })
    expect(chatCompletionToResponse(completion, shell({ input: 'x', conversation: 'conv_c' })).response).toMatchObject({ conversation: { id: 'conv_c' } })
    expect(chatCompletionToResponse(completion, shell({ input: 'x' })).response).not.toHaveProperty('conversation')
  })
})

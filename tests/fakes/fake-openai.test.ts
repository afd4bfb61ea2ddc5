// The fake OpenAI server speaks the real protocol: the official SDK talks to it, parses its answers,
// streams and embeddings, and raises its errors; and it refuses what the real API refuses, in its shape.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeUsage, fakeVector, type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { checkEventSequence, ResponseObject } from '../helpers/responses-schema'

let fake: FakeOpenAI
let client: OpenAI
const MODEL = 'gpt-4o-mini'
const ask = (content: string) => [{ role: 'user' as const, content }]

beforeAll(async () => {
  fake = await startFakeOpenAI()
  client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 })
})
afterAll(() => fake?.close())

/** A raw request, to send what the SDK would not. */
async function post(path: string, body: string, apiKey = fake.apiKey) {
  const res = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'authorization': `Bearer ${apiKey}` }, body })
  return { status: res.status, body: await res.json() }
}

describe('fake OpenAI with the official SDK', () => {
  it('answers a chat completion with deterministic text and usage', async () => {
    const messages = ask('hello there [cached]')
    const res = await client.chat.completions.create({ model: MODEL, messages })
    expect(res).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'echo: [cached] there hello' } }] })
    expect(res.usage).toEqual(fakeUsage(messages, 'echo: [cached] there hello'))
    expect(res.usage!.prompt_tokens_details!.cached_tokens).toBe(res.usage!.prompt_tokens)
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: MODEL, messages } })
  })

  it('serves a dated snapshot as itself, and refuses a date it does not serve', async () => {
    expect((await client.chat.completions.create({ model: 'gpt-4.1-2025-04-14', messages: ask('hi') })).model).toBe('gpt-4.1-2025-04-14')
    await expect(client.chat.completions.create({ model: 'gpt-4.1-2031-01-01', messages: ask('hi') })).rejects.toMatchObject({ status: 404, code: 'model_not_found' })
  })

  it('reports the prompt tokens it wrote to the cache', async () => {
    const messages = ask('[cached] [cache-write] a longer prefix')
    const res = await client.chat.completions.create({ model: MODEL, messages })
    const details = res.usage!.prompt_tokens_details!
    expect(details.cache_write_tokens).toBe(res.usage!.prompt_tokens - details.cached_tokens!)
    expect((await client.chat.completions.create({ model: MODEL, messages: ask('no cache') })).usage!.prompt_tokens_details).not.toHaveProperty('cache_write_tokens')
  })

  it('echoes the tier that served: default for auto, flex, priority for priority or fast, in chunks and responses too', async () => {
    const tierOf = async (service_tier?: 'auto' | 'flex' | 'priority') => (await client.chat.completions.create({ model: 'o3', messages: ask('hi'), service_tier })).service_tier
    expect(await tierOf()).toBe('default')
    expect(await tierOf('auto')).toBe('default')
    expect(await tierOf('flex')).toBe('flex')
    expect(await tierOf('priority')).toBe('priority')
    expect((await post('/chat/completions', '{"model": "o3", "messages": [{"role": "user", "content": "x"}], "service_tier": "fast"}')).body.service_tier).toBe('priority')
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = []
    for await (const c of await client.chat.completions.create({ model: 'o3', messages: ask('hi'), stream: true, service_tier: 'flex' })) chunks.push(c)
    expect(chunks.every(c => c.service_tier === 'flex')).toBe(true)
    expect((await client.responses.create({ model: 'o3', input: 'hi', service_tier: 'flex' })).service_tier).toBe('flex')
  })

  it('streams chunks the SDK accumulates, with the usage chunk only when asked for', async () => {
    const messages = ask('one two three')
    const stream = client.chat.completions.stream({ model: MODEL, messages, stream_options: { include_usage: true } })
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = []
    stream.on('chunk', c => chunks.push(c))
    const final = await stream.finalChatCompletion()
    expect(final.choices[0]).toMatchObject({ finish_reason: 'stop', message: { role: 'assistant', content: 'echo: three two one' } })
    expect(final.usage).toEqual(fakeUsage(messages, 'echo: three two one'))
    expect(chunks.at(-1)).toMatchObject({ object: 'chat.completion.chunk', choices: [], usage: fakeUsage(messages, 'echo: three two one') })
    expect(chunks.slice(0, -1).every(c => c.usage === null)).toBe(true)

    const plain: OpenAI.Chat.ChatCompletionChunk[] = []
    for await (const c of await client.chat.completions.create({ model: MODEL, messages, stream: true })) plain.push(c)
    expect(plain.map(c => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: three two one')
    expect(plain.some(c => 'usage' in c)).toBe(false)
  })

  it('answers n choices, streamed and not, and counts the completion tokens of all', async () => {
    const messages = ask('a b')
    const res = await client.chat.completions.create({ model: MODEL, messages, n: 3 })
    expect(res.choices.map(c => [c.index, c.message.content])).toEqual([[0, 'echo: b a'], [1, 'echo: b a'], [2, 'echo: b a']])
    expect(res.usage!.completion_tokens).toBe(3 * 3)
    const streamed = await client.chat.completions.stream({ model: MODEL, messages, n: 2 }).finalChatCompletion()
    expect(streamed.choices.map(c => c.message.content)).toEqual(['echo: b a', 'echo: b a'])
  })

  it('stops at max_completion_tokens or max_tokens with finish_reason length', async () => {
    const cut = await client.chat.completions.create({ model: MODEL, messages: ask('one two three four'), max_completion_tokens: 2 })
    expect(cut.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'echo: four' } })
    expect(cut.usage!.completion_tokens).toBe(2)
    const legacy = await client.chat.completions.stream({ model: MODEL, messages: ask('one two three four'), max_tokens: 3 }).finalChatCompletion()
    expect(legacy.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'echo: four three' } })
  })

  it('embeds as base64 (the SDK\'s default, decoded by it) and as floats', async () => {
    const viaBase64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello world', 'bye'] })
    expect(fake.requests.at(-1)!.body.encoding_format).toBe('base64')
    expect(viaBase64.data.map(d => d.embedding)).toEqual([fakeVector('hello world', 8), fakeVector('bye', 8)])
    expect(viaBase64.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 })
    const floats = await client.embeddings.create({ model: 'text-embedding-3-large', input: 'hello', encoding_format: 'float', dimensions: 4 })
    expect(floats.data).toEqual([{ object: 'embedding', index: 0, embedding: fakeVector('hello', 4) }])
  })
})

describe('fake OpenAI refuses what the API refuses', () => {
  it('answers a wrong or missing key with a 401 that hides the key', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong-key-0123456789', baseURL: fake.url, maxRetries: 0 })
    const error = await bad.chat.completions.create({ model: MODEL, messages: ask('hi') }).catch(e => e)
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' })
    expect(error.message).toContain('sk-wro****6789')
    expect(error.message).not.toContain('sk-wrong-key')
    const none = await fetch(`${fake.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(none.status).toBe(401)
    expect((await none.json()).error).toMatchObject({ type: 'invalid_request_error', param: null, code: null })
  })

  it('refuses temperature and top_p other than 1 on reasoning models, and reasoning_effort on others', async () => {
    for (const params of [{ temperature: 0.5 }, { top_p: 0.9 }]) {
      const err = await client.chat.completions.create({ model: 'gpt-5-mini', messages: ask('hi'), ...params }).catch(e => e)
      expect(err).toBeInstanceOf(OpenAI.BadRequestError)
      expect(err.param).toBe(Object.keys(params)[0])
    }
    const ok = await client.chat.completions.create({ model: 'gpt-5-mini', messages: ask('hi'), temperature: 1, reasoning_effort: 'low' })
    expect(ok.choices[0]!.message.content).toBe('echo: hi')
    expect((await client.chat.completions.create({ model: MODEL, messages: ask('hi'), temperature: 0.5 })).choices).toHaveLength(1)
    const err = await client.chat.completions.create({ model: MODEL, messages: ask('hi'), reasoning_effort: 'low' }).catch(e => e)
    expect(err.param).toBe('reasoning_effort')
  })

  it('checks the key before the body', async () => {
    expect((await post('/chat/completions', '{', 'sk-wrong')).status).toBe(401)
  })

  it('answers a model it does not serve, or one of the other kind, with a 404', async () => {
    const unknown = await client.chat.completions.create({ model: 'gpt-nonexistent-9', messages: ask('hi') }).catch(e => e)
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError)
    expect(unknown).toMatchObject({ status: 404, code: 'model_not_found', message: expect.stringContaining('gpt-nonexistent-9') })
    const embedder = await client.chat.completions.create({ model: 'text-embedding-3-small', messages: ask('hi') }).catch(e => e)
    expect(embedder).toMatchObject({ status: 404, param: 'model', message: expect.stringContaining('not a chat model') })
    await expect(client.embeddings.create({ model: MODEL, input: 'x' })).rejects.toMatchObject({ status: 404, code: 'model_not_found' })
  })

  it.each([
    ['malformed JSON', '/chat/completions', '{"model": "gpt-4o-mini", ', { message: expect.stringContaining('could not parse the JSON body'), param: null, code: null }],
    ['a body that is no object', '/chat/completions', 'null', { param: 'model' }],
    ['no model', '/embeddings', '{"input": "x"}', { param: 'model' }],
    ['no messages', '/chat/completions', '{"model": "gpt-4o-mini", "messages": []}', { param: 'messages', code: 'missing_required_parameter' }],
    ['an unknown role', '/chat/completions', '{"model": "gpt-4o-mini", "messages": [{"role": "human", "content": "x"}]}', { param: 'messages[0].role', code: 'invalid_value' }],
    ['stream_options without stream', '/chat/completions', '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}], "stream_options": {"include_usage": true}}', { param: 'stream_options' }],
    ['n above 128', '/chat/completions', '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}], "n": 129}', { param: 'n', code: 'invalid_value' }],
    ['an unknown service tier', '/chat/completions', '{"model": "o3", "messages": [{"role": "user", "content": "x"}], "service_tier": "cheap"}', { param: 'service_tier', code: 'invalid_value' }],
    ['flex on a model without Flex', '/chat/completions', '{"model": "gpt-4.1", "messages": [{"role": "user", "content": "x"}], "service_tier": "flex"}', { param: 'service_tier' }],
    ['flex on a model without Flex (Responses)', '/responses', '{"model": "gpt-4.1", "input": "x", "service_tier": "flex"}', { param: 'service_tier' }],
    ['max_tokens for a reasoning model', '/chat/completions', '{"model": "o3", "messages": [{"role": "user", "content": "x"}], "max_tokens": 5}', { param: 'max_tokens', code: 'unsupported_parameter' }],
    ['max_tokens above the model\'s limit', '/chat/completions', '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}], "max_tokens": 32000}', {
      param: 'max_tokens', code: 'invalid_value', message: 'max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000.',
    }],
    ['max_completion_tokens above a snapshot\'s limit', '/chat/completions', '{"model": "gpt-4o-2024-08-06", "messages": [{"role": "user", "content": "x"}], "max_completion_tokens": 16385}', { param: 'max_completion_tokens', code: 'invalid_value' }],
    ['a built-in tool type on chat completions', '/chat/completions', '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}], "tools": [{"type": "web_search"}]}', { param: 'tools[0].type', code: 'invalid_value' }],
    ['no input', '/embeddings', '{"model": "text-embedding-3-small"}', { param: 'input', code: 'missing_required_parameter' }],
    ['an unknown encoding', '/embeddings', '{"model": "text-embedding-3-small", "input": "x", "encoding_format": "int8"}', { param: 'encoding_format' }],
    ['dimensions for ada-002', '/embeddings', '{"model": "text-embedding-ada-002", "input": "x", "dimensions": 4}', { param: 'dimensions' }],
  ])('answers %s with a 400 in OpenAI\'s shape', async (_name, path, body, expected) => {
    const res = await post(path, body)
    expect(res.status).toBe(400)
    expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', ...expected })
  })

  it('raises the SDK\'s error for an injected failure, with its Retry-After', async () => {
    fake.faults.statuses.push({ status: 429, retryAfter: '7' })
    const error = await client.chat.completions.create({ model: MODEL, messages: ask('hi') }).catch(e => e)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect(error.headers.get('retry-after')).toBe('7')
  })
})

describe('fake OpenAI Responses API with the official SDK', () => {
  const weather = { type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }

  it('answers responses.create with a response object OpenAI would send', async () => {
    const res = await client.responses.create({ model: MODEL, input: 'hello there', instructions: 'Be terse.' })
    ResponseObject.parse(JSON.parse(JSON.stringify({ ...res, output_text: undefined })))
    expect(res).toMatchObject({ status: 'completed', output_text: 'echo: there hello', store: true, instructions: 'Be terse.' })
    expect(res.usage!.output_tokens).toBe(3)
  })

  it('streams the real event sequence, which the SDK accumulates', async () => {
    const stream = client.responses.stream({ model: MODEL, input: 'one two three' })
    const events: unknown[] = []
    for await (const e of stream) events.push(e)
    const final = await stream.finalResponse()
    expect(final.output_text).toBe('echo: three two one')
    const types = checkEventSequence(events).map(e => e.type)
    expect(types).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      'response.output_text.delta', 'response.output_text.delta', 'response.output_text.delta', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'])
  })

  it('keeps stored responses for previous_response_id and pairs function call outputs by call_id', async () => {
    const first = await client.responses.create({ model: MODEL, input: 'weather in Paris?', tools: [weather] })
    const call = first.output.find(o => o.type === 'function_call')!
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' })
    const second = await client.responses.create({ model: MODEL, previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }], tools: [weather] })
    expect(second.output_text).toBe('tool result: sunny')
    await expect(client.responses.create({ model: MODEL, input: [{ type: 'function_call_output', call_id: 'call_nope', output: 'x' }] })).rejects.toMatchObject({ status: 400 })
    await client.responses.delete(second.id)
    await expect(client.responses.create({ model: MODEL, previous_response_id: second.id, input: 'again' })).rejects.toMatchObject({ status: 400, code: 'previous_response_not_found' })
    await expect(client.responses.delete(second.id)).rejects.toMatchObject({ status: 404 })
    const unstored = await client.responses.create({ model: MODEL, input: 'hi', store: false })
    await expect(client.responses.create({ model: MODEL, previous_response_id: unstored.id, input: 'again' })).rejects.toMatchObject({ status: 400, code: 'previous_response_not_found' })
  })

  it('refuses unknown fields, wrong types and small caps as the real API does', async () => {
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', messages: [] }))).toMatchObject({ status: 400, body: { error: { code: 'unknown_parameter', param: 'messages' } } })
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', store: 'yes' }))).toMatchObject({ status: 400, body: { error: { param: 'store' } } })
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', max_output_tokens: 5 }))).toMatchObject({ status: 400, body: { error: { code: 'integer_below_min_value' } } })
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: [{ role: 'robot', content: 'x' }] }))).toMatchObject({ status: 400, body: { error: { param: 'input[0].role' } } })
    expect(await post('/responses', JSON.stringify({ model: 'gpt-nope', input: 'x' }))).toMatchObject({ status: 404, body: { error: { code: 'model_not_found' } } })
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', conversation: 'conv_gateway' }))).toMatchObject({ status: 404, body: { error: { message: expect.stringContaining('conv_gateway') } } })
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', conversation: { id: 'conv_x' }, previous_response_id: 'resp_x' }))).toMatchObject({ status: 400, body: { error: { code: 'mutually_exclusive_parameters' } } })
  })

  it('counts input tokens as a response\'s usage reports them, and refuses what only shapes the answer', async () => {
    const made = await client.responses.create({ model: MODEL, input: 'count my words please', instructions: 'Be terse.' })
    const counted = await client.responses.inputTokens.count({ model: MODEL, input: 'count my words please', instructions: 'Be terse.' })
    expect(counted).toEqual({ object: 'response.input_tokens', input_tokens: made.usage!.input_tokens })
    // A follow-up counts the conversation it continues.
    const next = await client.responses.inputTokens.count({ model: MODEL, previous_response_id: made.id, input: 'and more' })
    expect(next.input_tokens).toBeGreaterThan(counted.input_tokens)
    expect(await post('/responses/input_tokens', JSON.stringify({ model: MODEL, input: 'x', max_output_tokens: 100 }))).toMatchObject({ status: 400, body: { error: { code: 'unknown_parameter', param: 'max_output_tokens' } } })
    expect(await post('/responses/input_tokens', JSON.stringify({ model: MODEL, input: 'x', stream: true }))).toMatchObject({ status: 400, body: { error: { param: 'stream' } } })
    expect(await post('/responses/input_tokens', JSON.stringify({ model: MODEL, previous_response_id: 'resp_nope', input: 'x' }))).toMatchObject({ status: 400, body: { error: { code: 'previous_response_not_found' } } })
    expect(await post('/responses/input_tokens', JSON.stringify({ model: 'gpt-nope', input: 'x' }))).toMatchObject({ status: 404 })
  })

  it('fails a response on "[fail-response]" as OpenAI does, streamed with response.failed last', async () => {
    const res = await client.responses.create({ model: MODEL, input: 'break [fail-response]' })
    expect(res).toMatchObject({ status: 'failed', output: [], error: { code: 'server_error', message: expect.any(String) } })
    const events: any[] = []
    for await (const e of await client.responses.create({ model: MODEL, input: 'break [fail-response]', stream: true })) events.push(e)
    expect(checkEventSequence(events).at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error' } } })
  })

  it('refuses an output cap above the model\'s limit and an unknown tool type; takes the limit itself, namespaces and client_metadata', async () => {
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', max_output_tokens: 32000 })))
      .toMatchObject({ status: 400, body: { error: { param: 'max_output_tokens', code: 'invalid_value', message: expect.stringContaining('at most 16384') } } })
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', tools: [{ type: 'web_browser' }] })))
      .toMatchObject({ status: 400, body: { error: { param: 'tools[0].type', code: 'invalid_value' } } })
    const tools = [{ type: 'namespace', name: 'ns', description: 'd', tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }] }, { type: 'web_search' }]
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', max_output_tokens: 16384, tools, client_metadata: { session_id: 's' } }))).toMatchObject({ status: 200 })
    expect(await post('/chat/completions', JSON.stringify({ model: MODEL, messages: ask('x'), max_completion_tokens: 16384 }))).toMatchObject({ status: 200 })
    expect(await post('/responses', JSON.stringify({ model: MODEL, input: 'x', include: ['reasoning.encrypted_content'] })))
      .toMatchObject({ status: 400, body: { error: { param: 'include', code: null, message: 'Encrypted content is not supported with this model.' } } })
    expect(await post('/responses', JSON.stringify({ model: 'gpt-5-mini', input: 'x', include: ['reasoning.encrypted_content'] }))).toMatchObject({ status: 200 })
  })
})

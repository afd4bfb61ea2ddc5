// The Gemini adapter: request translation, responses, the real recorded streams, errors, embeddings,
// and a round trip against the strict fake Gemini server.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createParser } from 'eventsource-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GatewayError } from '../../server/utils/core/errors'
import { ChatCompletionRequest, EmbeddingsRequest } from '../../server/utils/dialects/openai'
import { adapters } from '../../server/utils/providers'
import { google } from '../../server/utils/providers/google'
import { SKIP_SIGNATURE } from '../../server/utils/providers/google/tool-call-id'
import type { ChatStreamTranslator, ProviderFailure, UpstreamTarget } from '../../server/utils/providers/types'
import { StreamFailure } from '../../server/utils/providers/types'
import type { ModelEntry } from '../../server/utils/registry/schema'
import { type FakeGemini, startFakeGemini } from '../helpers/fake-gemini'

const KEY = 'AIzaSyTestOnlyKey_0123456789abcdefghij'
const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/streams')
const OWN_ID = /^call_[0-9a-f]{24}(_ts_[\w-]+)?$/

function target(model = 'gemini-2.5-flash', baseUrl = 'https://generativelanguage.googleapis.com/'): UpstreamTarget {
  return { provider: 'google', model, entry: { id: model } as ModelEntry, baseUrl, apiKey: KEY }
}

/** The Gemini body the adapter builds for an OpenAI request (parsed by the gateway's own schema first), with the call's cap. */
function geminiBody(req: Record<string, unknown>, stream = false, maxOutputTokens?: number) {
  const parsed = ChatCompletionRequest.parse({ model: 'gemini-2.5-flash', ...req })
  return JSON.parse(google.chat.request(parsed, target(), { stream, maxOutputTokens }).body)
}

const user = (content: unknown) => ({ role: 'user', content })
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    strict: true,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
}

describe('google adapter registration', () => {
  it('is listed under the registry provider id', () => {
    expect(adapters.google).toBe(google)
    expect(google.api.defaultBaseUrl).toBe('https://generativelanguage.googleapis.com')
  })
})

describe('chat request', () => {
  it('posts to generateContent or streamGenerateContent?alt=sse with the key in a header only', () => {
    const req = ChatCompletionRequest.parse({ model: 'gemini-2.5-flash', messages: [user('hi')] })
    const plain = google.chat.request(req, target(), { stream: false })
    const stream = google.chat.request(req, target(), { stream: true })
    expect(plain.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent')
    expect(stream.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse')
    expect(plain.headers).toEqual({ 'content-type': 'application/json', 'x-goog-api-key': KEY })
    expect(plain.url + stream.url).not.toContain(KEY)
  })

  it('sends web_search_options as Google Search grounding, beside functions with the server-side calls shown', () => {
    expect(geminiBody({ messages: [user('news?')], web_search_options: {} })).toMatchObject({ tools: [{ googleSearch: {} }] })
    const both = geminiBody({ messages: [user('news?')], tools: [WEATHER_TOOL], web_search_options: {} })
    expect(both.tools).toEqual([{ functionDeclarations: [expect.objectContaining({ name: 'get_weather' })] }, { googleSearch: {} }])
    expect(both.toolConfig).toEqual({ includeServerSideToolInvocations: true })
  })

  it('moves system and developer messages to systemInstruction and maps and merges roles', () => {
    const body = geminiBody({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        user('one'),
        user([{ type: 'text', text: 'two' }]),
        { role: 'assistant', content: 'un deux' },
        { role: 'assistant', content: '' },
        user('three'),
      ],
    })
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }, { text: 'Answer in French.' }] })
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'one' }, { text: 'two' }] },
      { role: 'model', parts: [{ text: 'un deux' }] },
      { role: 'user', parts: [{ text: 'three' }] },
    ])
  })

  it('turns tool_calls into functionCall parts and tool results into named functionResponse parts', () => {
    const body = geminiBody({
      messages: [
        user('weather in Paris and Rome?'),
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '{"temp":21}' },
        { role: 'tool', tool_call_id: 'call_b', content: '14:00' },
        user('thanks'),
      ],
    })
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'weather in Paris and Rome?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          // A call the gateway did not produce carries no signature: the first gets Google's placeholder.
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: SKIP_SIGNATURE },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
          { functionResponse: { name: 'get_time', response: { result: '14:00' } } },
          { text: 'thanks' },
        ],
      },
    ])
  })

  it('restores the thought signature from extra_content first, then from the id', () => {
    const signature = 'Ab+/cd=='
    const response = google.chat.response(JSON.stringify({
      candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: signature }] }, finishReason: 'STOP' }],
    }), target())
    const call = JSON.parse(response.body).choices[0].message.tool_calls[0]
    expect(call.id).toMatch(OWN_ID)
    expect(call.id).not.toMatch(/[+/=]/)
    expect(call.extra_content).toEqual({ google: { thought_signature: signature } })

    const replay = (toolCall: Record<string, unknown>) => geminiBody({
      messages: [user('weather?'), { role: 'assistant', content: null, tool_calls: [toolCall] }, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
    }).contents[1].parts[0].thoughtSignature
    // A client that echoes the message as received; one that keeps only the OpenAI fields (the id).
    expect(replay(call)).toBe(signature)
    expect(replay({ id: call.id, type: 'function', function: call.function })).toBe(signature)
    expect(replay({ ...call, extra_content: { google: { thought_signature: 'Zm9v' } } })).toBe('Zm9v')
  })

  it('refuses a tool result whose call it cannot name, and arguments that are not an object', () => {
    const orphan = () => geminiBody({ messages: [user('x'), { role: 'tool', tool_call_id: 'call_zzz', content: 'r' }] })
    expect(orphan).toThrow(GatewayError)
    expect(orphan).toThrow(/call_zzz/)
    try {
      orphan()
    }
    catch (e) {
      expect((e as GatewayError).status).toBe(400)
      expect((e as GatewayError).param).toBe('messages[1].tool_call_id')
    }
    const badArgs = () => geminiBody({
      messages: [user('x'), { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '[1]' } }] }],
    })
    expect(badArgs).toThrow(/JSON object/)
  })

  it('maps image_url parts: data URIs inline, http(s) URLs as fileData with a guessed type', () => {
    const body = geminiBody({
      messages: [user([
        { type: 'text', text: 'what is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.WEBP?size=large#x', detail: 'high' } },
        { type: 'image_url', image_url: { url: 'https://example.com/photo' } },
      ])],
    })
    expect(body.contents[0].parts).toEqual([
      { text: 'what is this?' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.WEBP?size=large#x' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/photo' } },
    ])
    expect(() => geminiBody({ messages: [user([{ type: 'video_url', video_url: 'x' }])] })).toThrow(/video_url/)
  })

  it('maps generation settings (maxOutputTokens: the call\'s cap) and drops OpenAI-only fields', () => {
    const body = geminiBody({
      messages: [user('hi')],
      max_tokens: 50,
      max_completion_tokens: 100,
      temperature: 0.3,
      top_p: 0.9,
      stop: 'END',
      n: 2,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      user: 'u-1',
      logit_bias: { 50256: -100 },
      parallel_tool_calls: false,
      stream_options: { include_usage: true },
    }, false, 100)
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 100, temperature: 0.3, topP: 0.9, stopSequences: ['END'], candidateCount: 2, seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5,
    })
    expect(Object.keys(body).sort()).toEqual(['contents', 'generationConfig'])
    expect(geminiBody({ messages: [user('hi')], max_tokens: 5, stop: ['a', 'b'] }, false, 5).generationConfig).toEqual({ maxOutputTokens: 5, stopSequences: ['a', 'b'] })
    expect(geminiBody({ messages: [user('hi')], max_tokens: 5 }).generationConfig).toBeUndefined()
  })

  it('asks for JSON output: json_schema as responseJsonSchema (plain JSON Schema), json_object as the MIME type only', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }
    expect(geminiBody({ messages: [user('hi')], response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } } }).generationConfig)
      .toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema })
    expect(geminiBody({ messages: [user('hi')], response_format: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' })
    expect(geminiBody({ messages: [user('hi')], response_format: { type: 'text' } }).generationConfig).toBeUndefined()
  })

  it('declares tools with their JSON Schema and maps tool_choice', () => {
    const body = geminiBody({ messages: [user('hi')], tools: [WEATHER_TOOL] })
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parametersJsonSchema: WEATHER_TOOL.function.parameters }] }])
    expect(body.toolConfig).toBeUndefined()
    const mode = (tool_choice: unknown) => geminiBody({ messages: [user('hi')], tools: [WEATHER_TOOL], tool_choice }).toolConfig
    expect(mode('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } })
    expect(mode('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } })
    expect(mode('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } })
    expect(mode({ type: 'function', function: { name: 'get_weather' } })).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } })
  })
})

describe('chat response', () => {
  const respond = (res: object, model?: string) => {
    const result = google.chat.response(JSON.stringify(res), target(model))
    return { ...result, json: JSON.parse(result.body) }
  }

  it('joins answer text, gives thought parts as reasoning_content, and takes id and model from Gemini', () => {
    const { json } = respond({
      candidates: [{ content: { role: 'model', parts: [{ text: 'plan…', thought: true }, { text: 'Hello' }, { text: ' world', thoughtSignature: 'c2ln' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 6 },
      modelVersion: 'gemini-2.5-flash-001',
      responseId: 'abc123',
    })
    expect(json).toMatchObject({ id: 'chatcmpl-abc123', object: 'chat.completion', model: 'gemini-2.5-flash-001' })
    expect(json.choices).toEqual([{ index: 0, message: { role: 'assistant', content: 'Hello world', refusal: null, reasoning_content: 'plan…' }, logprobs: null, finish_reason: 'stop' }])
    expect(json.usage).toEqual({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } })
  })

  it('reports a function call as tool_calls although Gemini says STOP', () => {
    const { json } = respond({
      candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { name: 'noop' } }] }, finishReason: 'STOP' }],
    })
    const message = json.choices[0].message
    expect(json.choices[0].finish_reason).toBe('tool_calls')
    expect(message.content).toBeNull()
    expect(message.tool_calls).toEqual([
      { id: expect.stringMatching(OWN_ID), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: expect.stringMatching(OWN_ID), type: 'function', function: { name: 'noop', arguments: '{}' } },
    ])
    expect(message.tool_calls[0].id).not.toBe(message.tool_calls[1].id)
    expect(json.model).toBe('gemini-2.5-flash')
  })

  it('maps finish reasons and blocked prompts', () => {
    const finish = (finishReason: string) => respond({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] }).json.choices[0].finish_reason
    expect(finish('SAFETY')).toBe('content_filter')
    expect(finish('RECITATION')).toBe('content_filter')
    expect(finish('PROHIBITED_CONTENT')).toBe('content_filter')
    expect(finish('MAX_TOKENS')).toBe('length')
    expect(finish('STOP')).toBe('stop')
    const safety = respond({ candidates: [{ finishReason: 'SAFETY', index: 0 }] }).json.choices[0]
    expect(safety).toMatchObject({ message: { content: '' }, finish_reason: 'content_filter' })
    const blocked = respond({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 } })
    expect(blocked.json.choices).toEqual([{ index: 0, message: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: 'content_filter' }])
    expect(blocked.usage.promptTokens).toBe(8)
  })

  it('counts thinking as completion tokens, cached tokens inside the prompt, tool-use prompt tokens as prompt', () => {
    const { usage, json } = respond({
      candidates: [{ content: { parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 40, candidatesTokenCount: 10, thoughtsTokenCount: 20, toolUsePromptTokenCount: 5, totalTokenCount: 135 },
    })
    expect(usage).toEqual({ promptTokens: 105, cachedTokens: 40, cacheWriteTokens: 0, completionTokens: 30, reasoningTokens: 20 })
    expect(json.usage).toEqual({ prompt_tokens: 105, completion_tokens: 30, total_tokens: 135, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 20 } })
  })

  it('answers one choice per candidate', () => {
    const { json } = respond({ candidates: [0, 1].map(index => ({ index, content: { parts: [{ text: `c${index}` }] }, finishReason: 'STOP' })) })
    expect(json.choices.map((c: any) => [c.index, c.message.content])).toEqual([[0, 'c0'], [1, 'c1']])
  })
})

/** Feeds SSE text through eventsource-parser in odd-sized slices, as the pipeline does, and collects the chunks. */
function translate(sse: string, includeUsage = true, slice = 37) {
  const translator = google.chat.stream(target(), { includeUsage, id: 'chatcmpl-gw1', created: 1700000000 })
  const payloads: string[] = []
  const parser = createParser({ onEvent: e => payloads.push(...translator.push({ event: e.event, data: e.data })) })
  for (let i = 0; i < sse.length; i += slice) parser.feed(sse.slice(i, i + slice))
  payloads.push(...translator.end())
  return { translator, chunks: payloads.map(p => JSON.parse(p)) }
}

const sseOf = (events: string[]) => events.map(e => `data: ${e}\r\n\r\n`).join('')
const fixture = (name: string) => sseOf(readFileSync(path.join(FIXTURES, name), 'utf8').split('\n').filter(Boolean))

function contentOf(chunks: any[]) {
  return chunks.flatMap(c => c.choices.map((ch: any) => ch.delta.content ?? '')).join('')
}

const haveFixtures = existsSync(path.join(FIXTURES, 'gemini-text-thinking.jsonl')) && existsSync(path.join(FIXTURES, 'gemini-tool-call.jsonl'))
if (!haveFixtures) console.warn(`Skipping the recorded Gemini stream tests: no fixtures in ${FIXTURES}`)

describe.skipIf(!haveFixtures)('chat stream on the real recorded Gemini streams', () => {
  it('gemini-text-thinking: exact text, no empty deltas, stop, cumulative usage with thinking', () => {
    const { chunks, translator } = translate(fixture('gemini-text-thinking.jsonl'))
    expect(contentOf(chunks)).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y')
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null })
    const deltas = chunks.slice(1).flatMap(c => c.choices).filter((ch: any) => ch.delta.content !== undefined)
    expect(deltas.every((ch: any) => ch.delta.content !== '')).toBe(true)
    const finishes = chunks.flatMap(c => c.choices).filter((ch: any) => ch.finish_reason)
    expect(finishes.map((ch: any) => ch.finish_reason)).toEqual(['stop'])
    for (const c of chunks) expect(c).toMatchObject({ id: 'chatcmpl-bH6LaZW8Fp_3nsEPqtaSwQ4', object: 'chat.completion.chunk', created: 1700000000, model: 'gemini-3-pro-preview' })
    const last = chunks.at(-1)
    expect(last.choices).toEqual([])
    expect(last.usage).toEqual({ prompt_tokens: 9, completion_tokens: 208, total_tokens: 217, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 185 } })
    expect(translator.usage()).toEqual({ promptTokens: 9, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 208, reasoningTokens: 185 })
  })

  it('gemini-tool-call: one complete tool_calls delta, finish tool_calls, usage 29/60/45', () => {
    const { chunks, translator } = translate(fixture('gemini-tool-call.jsonl'), true, 11)
    const calls = chunks.flatMap(c => c.choices).flatMap((ch: any) => ch.delta.tool_calls ?? [])
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ index: 0, id: expect.stringMatching(OWN_ID), type: 'function', function: { name: 'weather' } })
    expect(JSON.parse(calls[0].function.arguments)).toEqual({ location: 'San Francisco' })
    expect(calls[0].extra_content.google.thought_signature).toMatch(/^EqUCCqICAb4/)
    expect(contentOf(chunks)).toBe('')
    expect(chunks.flatMap(c => c.choices).filter((ch: any) => ch.finish_reason).map((ch: any) => ch.finish_reason)).toEqual(['tool_calls'])
    expect(chunks.at(-1).usage).toMatchObject({ prompt_tokens: 29, completion_tokens: 60, completion_tokens_details: { reasoning_tokens: 45 } })
    expect(translator.usage()).toMatchObject({ promptTokens: 29, completionTokens: 60, reasoningTokens: 45 })
  })

  it('sends no usage chunk unless asked, but still meters', () => {
    const { chunks, translator } = translate(fixture('gemini-text-thinking.jsonl'), false)
    expect(chunks.every(c => c.choices.length > 0 && c.usage === undefined)).toBe(true)
    expect(translator.usage()?.completionTokens).toBe(208)
  })
})

describe('chat stream edge cases', () => {
  it('counts tool call indexes across events', () => {
    const call = (name: string) => JSON.stringify({ candidates: [{ content: { parts: [{ functionCall: { name, args: {} } }] } }] })
    const { chunks } = translate(sseOf([call('a'), call('b'), JSON.stringify({ candidates: [{ content: { parts: [{ text: '' }] }, finishReason: 'STOP' }] })]))
    const calls = chunks.flatMap(c => c.choices).flatMap((ch: any) => ch.delta.tool_calls ?? [])
    expect(calls.map((c: any) => [c.index, c.function.name])).toEqual([[0, 'a'], [1, 'b']])
  })

  it('turns an in-stream error into a StreamFailure without the key', () => {
    let translator: ChatStreamTranslator | undefined
    const run = () => {
      translator = google.chat.stream(target(), { includeUsage: false, id: 'x', created: 0 })
      translator.push({ data: JSON.stringify({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }] }) })
      translator.push({ data: JSON.stringify({ error: { code: 503, message: `The model is overloaded. key=${KEY}`, status: 'UNAVAILABLE' } }) })
    }
    expect(run).toThrow(StreamFailure)
    try {
      run()
    }
    catch (e) {
      expect((e as StreamFailure).failure).toMatchObject({ status: 503, code: 'upstream_overloaded' })
      expect((e as StreamFailure).failure.message).not.toContain(KEY)
    }
  })

  it('reports a blocked prompt as content_filter', () => {
    const { chunks } = translate(sseOf([JSON.stringify({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 3 } })]))
    expect(chunks.flatMap(c => c.choices).map((ch: any) => ch.finish_reason)).toEqual([null, 'content_filter'])
  })
})

describe('errors', () => {
  const badKey = JSON.stringify({
    error: {
      code: 400,
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', 'reason': 'API_KEY_INVALID', 'domain': 'googleapis.com' }],
    },
  })
  const err = (code: number, status: string, message: string) => JSON.stringify({ error: { code, message, status } })

  it('reports a rejected key as the gateway\'s upstream auth failure, never the key', () => {
    const f = google.error(400, badKey)
    expect(f).toMatchObject({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed' })
    expect(f.message).not.toContain('AIza')
    expect(google.error(400, err(400, 'INVALID_ARGUMENT', `API key expired. Please renew the API key. ${KEY}`)).code).toBe('upstream_auth_failed')
    expect(google.error(403, err(403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers')).status).toBe(502)
  })

  it('maps quota, overload, not found, bad requests and other failures', () => {
    expect(google.error(429, err(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded'))).toMatchObject({ status: 429, type: 'rate_limit_error' })
    expect(google.error(503, err(503, 'UNAVAILABLE', 'The model is overloaded.'))).toMatchObject({ status: 503, code: 'upstream_overloaded' })
    expect(google.error(404, err(404, 'NOT_FOUND', 'models/x is not found'))).toMatchObject({ status: 404, code: 'model_not_found' })
    const bad = google.error(400, err(400, 'INVALID_ARGUMENT', `Invalid value for ${KEY}`))
    expect(bad).toMatchObject({ status: 400, type: 'invalid_request_error' })
    expect(bad.message).toContain('Invalid value')
    expect(bad.message).not.toContain(KEY)
    expect(google.error(500, '<html>oops</html>')).toMatchObject({ status: 502, code: 'upstream_error' })
  })
})

describe('embeddings', () => {
  const embed = google.embeddings!
  const parse = (req: Record<string, unknown>) => EmbeddingsRequest.parse({ model: 'gemini-embedding-001', ...req })
  const t = target('gemini-embedding-001')

  it('uses embedContent for one input and batchEmbedContents for a list', () => {
    const one = embed.request(parse({ input: 'hello', dimensions: 4 }), t)
    expect(one.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent')
    expect(JSON.parse(one.body)).toEqual({ content: { parts: [{ text: 'hello' }] }, outputDimensionality: 4 })
    const many = embed.request(parse({ input: ['a', 'b'] }), t)
    expect(many.url).toMatch(/:batchEmbedContents$/)
    expect(JSON.parse(many.body)).toEqual({ requests: ['a', 'b'].map(text => ({ model: 'models/gemini-embedding-001', content: { parts: [{ text }] } })) })
    expect(many.headers['x-goog-api-key']).toBe(KEY)
    expect(() => embed.request(parse({ input: [1, 2, 3] }), t)).toThrow(/token arrays/)
  })

  it('answers OpenAI\'s shape, as floats or as base64 float32 little-endian, with estimated tokens', () => {
    const values = [0.5, -1.25, 0.1]
    const floats = JSON.parse(embed.response(JSON.stringify({ embedding: { values } }), t, parse({ input: 'hello world!' })).body)
    expect(floats).toEqual({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: values }], model: 'gemini-embedding-001', usage: { prompt_tokens: 3, total_tokens: 3 } })

    const result = embed.response(JSON.stringify({ embeddings: [{ values }, { values: [2] }] }), t, parse({ input: ['abcde', 'f'], encoding_format: 'base64' }))
    const json = JSON.parse(result.body)
    const bytes = Buffer.from(json.data[0].embedding, 'base64')
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4))
    expect(decoded).toEqual(values.map(Math.fround))
    expect(json.data[1].index).toBe(1)
    expect(result.usage).toEqual({ promptTokens: 3, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 0, reasoningTokens: 0 })
  })
})

describe('against the strict fake Gemini', () => {
  let fake: FakeGemini
  beforeAll(async () => { fake = await startFakeGemini(KEY) })
  afterAll(() => fake.close())

  async function call(req: Record<string, unknown>, model = 'gemini-2.5-flash', stream = false): Promise<{ status: number, failure?: ProviderFailure, json?: any, chunks?: any[] }> {
    const t = target(model, fake.url)
    const up = google.chat.request(ChatCompletionRequest.parse({ model, ...req }), t, { stream })
    const res = await fetch(up.url, { method: 'POST', headers: up.headers, body: up.body })
    const text = await res.text()
    if (!res.ok) return { status: res.status, failure: google.error(res.status, text) }
    if (!stream) return { status: res.status, json: JSON.parse(google.chat.response(text, t).body) }
    return { status: res.status, chunks: translate(text).chunks }
  }

  it('holds a conversation with system prompt, merged turns, images and settings', async () => {
    const r = await call({
      messages: [
        { role: 'system', content: 'sys' },
        user('first'),
        user([{ type: 'text', text: 'hello there' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }]),
      ],
      max_tokens: 50,
      temperature: 0.2,
      stop: 'END',
      n: 1,
      user: 'dropped',
    })
    expect(r.status).toBe(200)
    // The two user messages went up as one merged turn, and the fake echoes all of it.
    expect(r.json.choices[0].message.content).toBe('echo: there hello first')
    expect(fake.requests.at(-1)!.search).toBe('')
  })

  it('streams CRLF-framed events into OpenAI chunks', async () => {
    const r = await call({ messages: [user('one two three [think]')] }, 'gemini-2.5-flash', true)
    expect(r.status).toBe(200)
    expect(contentOf(r.chunks!)).toBe('echo: [think] three two one')
    expect(r.chunks!.at(-1).usage.completion_tokens_details.reasoning_tokens).toBe(7)
    expect(fake.requests.at(-1)!.search).toBe('?alt=sse')
  })

  it('round-trips a Gemini 3 function call through an OpenAI client that keeps only the id', async () => {
    const model = 'gemini-3-pro-preview'
    const first = await call({ messages: [user('weather in Paris?')], tools: [WEATHER_TOOL], tool_choice: 'auto' }, model)
    const toolCall = first.json.choices[0].message.tool_calls[0]
    expect(first.json.choices[0].finish_reason).toBe('tool_calls')
    expect(JSON.parse(toolCall.function.arguments)).toEqual({ city: 'Paris' })
    const second = await call({
      messages: [
        user('weather in Paris?'),
        { role: 'assistant', content: null, tool_calls: [{ id: toolCall.id, type: 'function', function: toolCall.function }] },
        { role: 'tool', tool_call_id: toolCall.id, content: '{"temp":21}' },
      ],
      tools: [WEATHER_TOOL],
    }, model)
    expect(second.status).toBe(200)
    expect(second.json.choices[0].message.content).toBe('tool result: {"temp":21}')
  })

  it('answers JSON mode with the schema\'s required keys', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }
    const r = await call({ messages: [user('give json')], response_format: { type: 'json_schema', json_schema: { name: 's', schema } } })
    expect(JSON.parse(r.json.choices[0].message.content)).toEqual({ a: 'x' })
  })

  it('reports a wrong key as upstream_auth_failed', async () => {
    const t = { ...target('gemini-2.5-flash', fake.url), apiKey: 'AIzaWrongKey0123456789' }
    const up = google.chat.request(ChatCompletionRequest.parse({ model: 'm', messages: [user('hi')] }), t, { stream: false })
    const res = await fetch(up.url, { method: 'POST', headers: up.headers, body: up.body })
    const failure = google.error(res.status, await res.text())
    expect(failure).toMatchObject({ status: 502, code: 'upstream_auth_failed' })
    expect(failure.message).not.toContain('AIza')
  })

  it('embeds single and batch inputs', async () => {
    const t = target('gemini-embedding-001', fake.url)
    for (const input of ['hello', ['a', 'b']]) {
      const req = EmbeddingsRequest.parse({ model: 'gemini-embedding-001', input, dimensions: 4 })
      const up = google.embeddings!.request(req, t)
      const res = await fetch(up.url, { method: 'POST', headers: up.headers, body: up.body })
      expect(res.status).toBe(200)
      const json = JSON.parse(google.embeddings!.response(await res.text(), t, req).body)
      expect(json.data).toHaveLength(typeof input === 'string' ? 1 : 2)
      expect(json.data[0].embedding).toHaveLength(4)
    }
  })
})

// The fake Gemini server is only useful if it refuses what the real API refuses and answers in the
// real API's shapes: these tests hold it to that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeGemini, startFakeGemini } from '../helpers/fake-gemini'

let fake: FakeGemini
beforeAll(async () => { fake = await startFakeGemini() })
afterAll(() => fake.close())

async function post(path: string, body: unknown, headers: Record<string, string> = { 'x-goog-api-key': fake.apiKey }) {
  const res = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, text, json: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined }
}

const generate = (body: unknown, model = 'gemini-2.5-flash') => post(`/v1beta/models/${model}:generateContent`, body)
const stream = (body: unknown, model = 'gemini-2.5-flash') => post(`/v1beta/models/${model}:streamGenerateContent?alt=sse`, body)
const userTurn = (text: string) => ({ role: 'user', parts: [{ text }] })
const events = (sse: string) => sse.split('\r\n\r\n').filter(Boolean).map(e => JSON.parse(e.replace(/^data: /, '')))
const TOOLS = [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] }]

describe('refusals', () => {
  it('refuses a missing or wrong key like the real API, and a key in the URL', async () => {
    const keys: Record<string, string>[] = [{}, { 'x-goog-api-key': 'AIzaWrong' }]
    for (const headers of keys) {
      const r = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: [userTurn('hi')] }, headers)
      expect(r.status).toBe(400)
      expect(r.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' })
      expect(r.json.error.details[0].reason).toBe('API_KEY_INVALID')
    }
    const inUrl = await post(`/v1beta/models/gemini-2.5-flash:generateContent?key=${fake.apiKey}`, { contents: [userTurn('hi')] })
    expect(inUrl.status).toBe(400)
  })

  it('refuses unknown models and methods a model does not serve', async () => {
    expect((await generate({ contents: [userTurn('hi')] }, 'gpt-4o')).status).toBe(404)
    expect((await generate({ contents: [userTurn('hi')] }, 'gemini-embedding-001')).status).toBe(404)
    expect((await post('/v1beta/models/gemini-2.5-flash:embedContent', { content: { parts: [{ text: 'x' }] } })).status).toBe(404)
    expect((await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent', { contents: [userTurn('hi')] })).status).toBe(400)
  })

  it.each([
    ['no contents', { contents: [] }, /contents is not specified/],
    ['an assistant role', { contents: [userTurn('a'), { role: 'assistant', parts: [{ text: 'b' }] }] }, /valid role/],
    ['a system role', { contents: [{ role: 'system', parts: [{ text: 'a' }] }, userTurn('b')] }, /valid role/],
    ['a tool role', { contents: [userTurn('a'), { role: 'tool', parts: [{ text: 'b' }] }] }, /valid role/],
    ['a model first turn', { contents: [{ role: 'model', parts: [{ text: 'a' }] }, userTurn('b')] }, /first turn/],
    ['turns that do not alternate', { contents: [userTurn('a'), userTurn('b')] }, /alternate/],
    ['empty parts', { contents: [{ role: 'user', parts: [] }] }, /must not be empty/],
    ['an empty text part', { contents: [userTurn('')] }, /empty text/],
    ['a functionResponse without a name', { contents: [userTurn('a'), { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] }, { role: 'user', parts: [{ functionResponse: { response: {} } }] }] }, /Name cannot be empty/],
    ['a functionCall in a user turn', { contents: [{ role: 'user', parts: [{ functionCall: { name: 'f' } }] }] }, /model turns/],
    ['an OpenAI field at the top level', { contents: [userTurn('a')], messages: [] }, /Unknown name "messages"/],
    ['an unknown generationConfig field', { contents: [userTurn('a')], generationConfig: { max_tokens: 5 } }, /Unknown name "max_tokens" at 'generation_config'/],
    ['a non-numeric temperature', { contents: [userTurn('a')], generationConfig: { temperature: 'hot' } }, /temperature/],
    ['a response schema without JSON output', { contents: [userTurn('a')], generationConfig: { responseJsonSchema: { type: 'object' } } }, /application\/json/],
    ['additionalProperties in OpenAPI-subset parameters', { contents: [userTurn('a')], tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'object', additionalProperties: false } }] }] }, /Unknown name "additionalProperties"/],
    ['an invalid function name', { contents: [userTurn('a')], tools: [{ functionDeclarations: [{ name: 'bad name' }] }] }, /Invalid function name/],
    ['allowedFunctionNames outside mode ANY', { contents: [userTurn('a')], tools: TOOLS, toolConfig: { functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['get_weather'] } } }, /only allowed when mode is ANY/],
    ['maxOutputTokens above outputTokenLimit', { contents: [userTurn('a')], generationConfig: { maxOutputTokens: 65_537 } }, /maxOutputTokens value of 65537 but the supported range is from 1 \(inclusive\) to 65537 \(exclusive\)/],
    ['Google Search beside function declarations before Gemini 3', { contents: [userTurn('a')], tools: [...TOOLS, { googleSearch: {} }] }, /Tool use with function calling is unsupported/],
    ['an OpenAI tool in tools', { contents: [userTurn('a')], tools: [{ type: 'web_search' }] }, /Unknown name "type"/],
    ['a bad inlineData payload', { contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: 'not base64!' } }] }] }, /Base64 decoding failed/],
  ])('refuses %s', async (_name, body, message) => {
    const r = await generate(body)
    expect(r.status).toBe(400)
    expect(r.json.error.status).toBe('INVALID_ARGUMENT')
    expect(r.json.error.message).toMatch(message)
  })
})

describe('limits and built-in tools', () => {
  it('takes maxOutputTokens at the limit, Google Search alone, and beside functions on Gemini 3', async () => {
    expect((await generate({ contents: [userTurn('a')], generationConfig: { maxOutputTokens: 65_536 } })).status).toBe(200)
    expect((await generate({ contents: [userTurn('a')], tools: [{ googleSearch: {} }] })).status).toBe(200)
    const both = { contents: [userTurn('a')], tools: [...TOOLS, { googleSearch: {} }], toolConfig: { includeServerSideToolInvocations: true } }
    expect((await generate(both, 'gemini-3-flash-preview')).status).toBe(200)
  })
})

describe('answers', () => {
  it('echoes the last user text with Gemini usage, thinking and cache counts', async () => {
    const r = await generate({ systemInstruction: { parts: [{ text: 'sys' }] }, contents: [userTurn('hello big world [think] [cached]')] })
    expect(r.status).toBe(200)
    const c = r.json.candidates[0]
    expect(c).toMatchObject({ finishReason: 'STOP', index: 0, content: { role: 'model' } })
    expect(c.content.parts[0].text).toBe('echo: [cached] [think] world big hello')
    expect(c.content.parts[1]).toEqual({ text: '', thoughtSignature: expect.any(String) })
    const u = r.json.usageMetadata
    expect(u.thoughtsTokenCount).toBe(7)
    expect(u.cachedContentTokenCount).toBeGreaterThan(0)
    expect(u.totalTokenCount).toBe(u.promptTokenCount + u.candidatesTokenCount + u.thoughtsTokenCount)
    expect(r.json.modelVersion).toBe('gemini-2.5-flash')
  })

  it('counts audio parts as AUDIO prompt tokens, by modality, 32 a second of 16 000 bytes', async () => {
    const audio = Buffer.alloc(16_000).toString('base64')
    const r = await generate({ contents: [{ role: 'user', parts: [{ text: 'listen' }, { inlineData: { mimeType: 'audio/wav', data: audio } }] }] })
    const u = r.json.usageMetadata
    expect(u.promptTokensDetails).toEqual([{ modality: 'TEXT', tokenCount: 8 }, { modality: 'AUDIO', tokenCount: 32 }])
    expect(u.promptTokenCount).toBe(40)
    expect((await generate({ contents: [userTurn('no audio')] })).json.usageMetadata.promptTokensDetails).toEqual([{ modality: 'TEXT', tokenCount: 9 }])
  })

  it('stops at maxOutputTokens with MAX_TOKENS and blocks "[blocked]" prompts', async () => {
    const r = await generate({ contents: [userTurn('a b c d e')], generationConfig: { maxOutputTokens: 2 } })
    expect(r.json.candidates[0]).toMatchObject({ finishReason: 'MAX_TOKENS', content: { parts: [{ text: 'echo: e ' }] } })
    const blocked = await generate({ contents: [userTurn('[blocked]')] })
    expect(blocked.json.promptFeedback.blockReason).toBe('SAFETY')
    expect(blocked.json.candidates).toBeUndefined()
  })

  it('answers JSON output with the required keys', async () => {
    const r = await generate({ contents: [userTurn('json')], generationConfig: { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', required: ['a', 'b'] } } })
    expect(JSON.parse(r.json.candidates[0].content.parts[0].text)).toEqual({ a: 'x', b: 'x' })
  })

  it('calls the first function about the weather, and echoes its result', async () => {
    const r = await generate({ contents: [userTurn('weather in Paris?')], tools: TOOLS })
    const part = r.json.candidates[0].content.parts[0]
    expect(part.functionCall).toEqual({ name: 'get_weather', args: { city: 'Paris' } })
    expect(part.thoughtSignature).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(r.json.candidates[0].finishReason).toBe('STOP')
    const none = await generate({ contents: [userTurn('weather in Paris?')], tools: TOOLS, toolConfig: { functionCallingConfig: { mode: 'NONE' } } })
    expect(none.json.candidates[0].content.parts[0].text).toMatch(/^echo:/)
    const followUp = await generate({
      contents: [userTurn('weather in Paris?'), { role: 'model', parts: [part] }, { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] }],
      tools: TOOLS,
    })
    expect(followUp.json.candidates[0].content.parts[0].text).toBe('tool result: {"temp":21}')
  })

  it('wants the thought signature back on Gemini 3 function-call turns', async () => {
    const model = 'gemini-3-pro-preview'
    const first = await generate({ contents: [userTurn('weather?')], tools: TOOLS }, model)
    const part = first.json.candidates[0].content.parts[0]
    const followUp = (call: object) => generate({
      contents: [userTurn('weather?'), { role: 'model', parts: [call] }, { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { t: 1 } } }] }],
      tools: TOOLS,
    }, model)
    expect((await followUp(part)).status).toBe(200)
    expect((await followUp({ functionCall: part.functionCall, thoughtSignature: 'skip_thought_signature_validator' })).status).toBe(200)
    const missing = await followUp({ functionCall: part.functionCall })
    expect(missing.status).toBe(400)
    expect(missing.json.error.message).toMatch(/missing a thought_signature/)
    expect((await followUp({ functionCall: part.functionCall, thoughtSignature: 'AAAA' })).status).toBe(400)
  })
})

describe('streams', () => {
  it('sends CRLF-framed data events, no [DONE], cumulative usage, finishReason last', async () => {
    const r = await stream({ contents: [userTurn('one two three')] })
    expect(r.status).toBe(200)
    expect(r.text).not.toContain('[DONE]')
    expect(r.text.endsWith('\r\n\r\n')).toBe(true)
    const evs = events(r.text)
    expect(evs.length).toBeGreaterThanOrEqual(2)
    expect(evs.map(e => e.candidates[0].content.parts[0].text).join('')).toBe('echo: three two one')
    expect(evs.slice(0, -1).every(e => e.candidates[0].finishReason === undefined)).toBe(true)
    expect(evs.at(-1).candidates[0].finishReason).toBe('STOP')
    const counts = evs.map(e => e.usageMetadata.candidatesTokenCount)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    expect(counts.at(-1)).toBe(4)
  })

  it('streams a function call then a closing empty part, like the real API', async () => {
    const evs = events((await stream({ contents: [userTurn('weather?')], tools: TOOLS })).text)
    expect(evs).toHaveLength(2)
    expect(evs[0].candidates[0].content.parts[0].functionCall.name).toBe('get_weather')
    expect(evs[1].candidates[0]).toMatchObject({ content: { parts: [{ text: '' }] }, finishReason: 'STOP' })
  })

  it('fails before streaming on "[fail-503]" and mid-stream on "[fail-midstream]"', async () => {
    const early = await stream({ contents: [userTurn('[fail-503]')] })
    expect(early.status).toBe(503)
    expect(early.json.error.status).toBe('UNAVAILABLE')
    const mid = await stream({ contents: [userTurn('a b [fail-midstream]')] })
    expect(mid.status).toBe(200)
    const evs = events(mid.text)
    expect(evs).toHaveLength(2)
    expect(evs[0].candidates[0].content.parts[0].text).toBe('echo: ')
    expect(evs[1]).toEqual({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })
  })
})

describe('countTokens', () => {
  const count = (body: unknown, model = 'gemini-2.5-flash') => post(`/v1beta/models/${model}:countTokens`, body)

  it('counts a whole generateContentRequest as generateContent reports its prompt, and contents alone', async () => {
    const request = { contents: [userTurn('count these words')], systemInstruction: { parts: [{ text: 'Be brief.' }] }, tools: TOOLS, generationConfig: { maxOutputTokens: 50 } }
    const made = await generate(request)
    const counted = await count({ generateContentRequest: { model: 'models/gemini-2.5-flash', ...request } })
    expect(counted).toMatchObject({ status: 200, json: { totalTokens: made.json.usageMetadata.promptTokenCount, promptTokensDetails: [{ modality: 'TEXT' }] } })
    expect((await count({ contents: [userTurn('count these words')] })).json.totalTokens).toBe(3 + 4 + 3)
  })

  it('refuses both forms at once, a request without its model, and unknown fields', async () => {
    expect((await count({ contents: [userTurn('x')], generateContentRequest: { model: 'models/gemini-2.5-flash', contents: [userTurn('x')] } })).status).toBe(400)
    expect((await count({ generateContentRequest: { contents: [userTurn('x')] } })).status).toBe(400)
    expect((await count({ generateContentRequest: { model: 'models/gemini-2.5-flash', contents: [userTurn('x')], maxTokens: 5 } })).json.error.message).toMatch(/Unknown name "maxTokens"/)
    expect((await count({ contents: [userTurn('x')], systemInstruction: { parts: [{ text: 'x' }] } })).json.error.message).toMatch(/Unknown name "systemInstruction"/)
  })
})

describe('embeddings', () => {
  it('embeds one content and batches, deterministically', async () => {
    const one = await post('/v1beta/models/gemini-embedding-001:embedContent', { content: { parts: [{ text: 'hello' }] }, outputDimensionality: 4 })
    expect(one.json.embedding.values).toHaveLength(4)
    const again = await post('/v1beta/models/gemini-embedding-001:embedContent', { content: { parts: [{ text: 'hello' }] }, outputDimensionality: 4 })
    expect(again.json).toEqual(one.json)
    const batch = await post('/v1beta/models/gemini-embedding-001:batchEmbedContents', {
      requests: ['a', 'b'].map(text => ({ model: 'models/gemini-embedding-001', content: { parts: [{ text }] } })),
    })
    expect(batch.json.embeddings).toHaveLength(2)
    expect(batch.json.embeddings[0].values).toHaveLength(8)
  })

  it('refuses batch requests without or with another model', async () => {
    const without = await post('/v1beta/models/gemini-embedding-001:batchEmbedContents', { requests: [{ content: { parts: [{ text: 'a' }] } }] })
    expect(without.status).toBe(400)
    const other = await post('/v1beta/models/gemini-embedding-001:batchEmbedContents', { requests: [{ model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] } }] })
    expect(other.status).toBe(400)
  })
})

it('records every request with its path, query and headers', async () => {
  const before = fake.requests.length
  await stream({ contents: [userTurn('x')] })
  expect(fake.requests.length).toBe(before + 1)
  expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent', search: '?alt=sse' })
  expect(fake.requests.at(-1)!.headers['x-goog-api-key']).toBe(fake.apiKey)
})

describe('thinkingConfig, checked per model family', () => {
  it.each([
    ['a thinking level on a 2.5 model', 'gemini-2.5-flash', { thinkingLevel: 'low' }, /not supported for this model/],
    ['a level a Gemini 3 Pro model does not have', 'gemini-3.1-pro-preview', { thinkingLevel: 'medium' }, /not supported by this model/],
    ['both a budget and a level', 'gemini-3-flash-preview', { thinkingLevel: 'low', thinkingBudget: 1024 }, /only one of/],
    ['budget 0 on 2.5 Pro, which always thinks', 'gemini-2.5-pro', { thinkingBudget: 0 }, /only works in thinking mode/],
    ['a budget above the range', 'gemini-2.5-flash', { thinkingBudget: 50000 }, /between 1 and 24576/],
    ['an unknown key', 'gemini-2.5-flash', { thinkingBudget: 1024, effort: 'low' }, /Unknown name "effort"/],
  ])('refuses %s', async (_, model, thinkingConfig, message) => {
    const r = await generate({ contents: [userTurn('hi')], generationConfig: { thinkingConfig } }, model)
    expect(r.status).toBe(400)
    expect(r.json.error.message).toMatch(message)
  })

  it('thinks when asked, with a thought summary part (streamed first) only under includeThoughts', async () => {
    const body = { contents: [userTurn('one two')], generationConfig: { thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } } }
    const r = await generate(body)
    expect(r.status).toBe(200)
    const parts = r.json.candidates[0].content.parts
    expect(parts[0]).toEqual({ text: 'Thinking about: one two', thought: true })
    expect(parts.at(-1)).toMatchObject({ text: '', thoughtSignature: expect.any(String) })
    expect(r.json.usageMetadata.thoughtsTokenCount).toBe(7)
    const streamed = events((await stream(body)).text)
    expect(streamed[0].candidates[0].content.parts).toEqual([{ text: 'Thinking about: one two', thought: true }])
    const quiet = await generate({ contents: [userTurn('one two')], generationConfig: { thinkingConfig: { thinkingLevel: 'low' } } }, 'gemini-3-flash-preview')
    expect(quiet.json.candidates[0].content.parts.some((p: any) => p.thought)).toBe(false)
    const off = await generate({ contents: [userTurn('one two')], generationConfig: { thinkingConfig: { thinkingBudget: 0 } } })
    expect(off.json.usageMetadata.thoughtsTokenCount).toBeUndefined()
  })
})

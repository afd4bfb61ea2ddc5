// The fake OpenAI-compatible server speaks OpenAI's protocol as the official SDK expects it, in each of
// its three behaviours, and refuses what such servers refuse: unknown fields (strict), unknown models,
// a wrong key.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeUsage } from '../helpers/fake-openai'
import { type FakeCompatible, startFakeCompatible } from '../helpers/fake-openai-compatible'

let strict: FakeCompatible
let noUsage: FakeCompatible
let ollama: FakeCompatible
const client = (fake: FakeCompatible) => new OpenAI({ apiKey: fake.apiKey ?? 'ollama', baseURL: fake.url, maxRetries: 0 })
const ask = (content: string) => [{ role: 'user' as const, content }]
const weatherTool = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }

beforeAll(async () => {
  ;[strict, noUsage, ollama] = await Promise.all([
    startFakeCompatible({ behaviour: 'strict', apiKey: 'sk-strict-fake-0123456789' }),
    startFakeCompatible({ behaviour: 'no-usage', apiKey: 'sk-nousage-fake-0123456789' }),
    startFakeCompatible({ behaviour: 'ollama' }),
  ])
})
afterAll(async () => { await Promise.all([strict, noUsage, ollama].map(f => f?.close())) })

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
  for await (const c of stream) chunks.push(c)
  return chunks
}

describe('strict', () => {
  it('refuses an unknown field with a 400 naming it, in vLLM\'s shape', async () => {
    for (const extra of [{ stream_options: { include_usage: true }, stream: true }, { parallel_tool_calls: false }, { service_tier: 'auto' }, { max_completion_tokens: 5 }]) {
      const field = Object.keys(extra)[0]!
      const body = { model: 'llama3.3', messages: ask('hi'), ...extra }
      // The SDK raises it (it reads no message from this shape)…
      await expect(client(strict).chat.completions.create(body as any)).rejects.toBeInstanceOf(OpenAI.BadRequestError)
      // …whose body names the field.
      const res = await fetch(`${strict.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'authorization': `Bearer ${strict.apiKey}` }, body: JSON.stringify(body) })
      const refusal = await res.json()
      expect(res.status).toBe(400)
      expect(refusal).toMatchObject({ object: 'error', type: 'BadRequestError', code: 400 })
      expect(JSON.parse(refusal.message)).toEqual([expect.objectContaining({ type: 'extra_forbidden', loc: ['body', field], msg: 'Extra inputs are not permitted' })])
    }
  })

  it('answers with usage, and streams with usage in the last chunk unasked', async () => {
    const res = await client(strict).chat.completions.create({ model: 'llama3.3', messages: ask('hello there'), max_tokens: 50 })
    expect(res.choices[0]!.message.content).toBe('echo: there hello')
    expect(res.usage).toEqual(fakeUsage(ask('hello there'), 'echo: there hello'))
    const chunks = await collect(await client(strict).chat.completions.create({ model: 'llama3.3', messages: ask('hello there'), stream: true }))
    expect(chunks.map(c => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: there hello')
    expect(chunks.at(-1)).toMatchObject({ choices: [{ finish_reason: 'stop' }], usage: fakeUsage(ask('hello there'), 'echo: there hello') })
  })

  it('refuses a wrong key and a model it does not serve', async () => {
    await expect(new OpenAI({ apiKey: 'sk-wrong', baseURL: strict.url, maxRetries: 0 }).chat.completions.create({ model: 'llama3.3', messages: ask('x') })).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
    await expect(client(strict).chat.completions.create({ model: 'gpt-4o', messages: ask('x') })).rejects.toBeInstanceOf(OpenAI.NotFoundError)
  })

  it('lists its models', async () => {
    expect((await client(strict).models.list()).data.map(m => m.id)).toEqual(['llama3.3', 'qwen3:8b'])
  })
})

describe('no-usage', () => {
  it('takes stream_options but streams no usage; its JSON answers have usage', async () => {
    const chunks = await collect(await client(noUsage).chat.completions.create({ model: 'qwen3:8b', messages: ask('a b c'), stream: true, stream_options: { include_usage: true } }))
    expect(chunks.map(c => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: c b a')
    expect(chunks.every(c => !c.usage)).toBe(true)
    expect((await client(noUsage).chat.completions.create({ model: 'qwen3:8b', messages: ask('a b c') })).usage).toEqual(fakeUsage(ask('a b c'), 'echo: c b a'))
  })

  it('answers without usage at all when told to', async () => {
    const bare = await startFakeCompatible({ behaviour: 'no-usage', answersWithoutUsage: true })
    try {
      const res = await client(bare).chat.completions.create({ model: 'llama3.3', messages: ask('a b') })
      expect(res.choices[0]!.message.content).toBe('echo: b a')
      expect(res.usage).toBeUndefined()
    }
    finally {
      await bare.close()
    }
  })
})

describe('ollama', () => {
  it('lists its models at /api/tags and takes no key', async () => {
    const tags = await (await fetch(ollama.url.replace(/\/v1$/, '/api/tags'))).json()
    expect(tags.models.map((m: any) => m.name)).toEqual(['llama3.3', 'qwen3:8b'])
    expect(ollama.requests.at(-1)!.headers.authorization).toBeUndefined()
  })

  it('streams usage only when asked', async () => {
    const asked = await collect(await client(ollama).chat.completions.create({ model: 'llama3.3', messages: ask('x y'), stream: true, stream_options: { include_usage: true } }))
    expect(asked.at(-1)).toMatchObject({ choices: [], usage: fakeUsage(ask('x y'), 'echo: y x') })
    const unasked = await collect(await client(ollama).chat.completions.create({ model: 'llama3.3', messages: ask('x y'), stream: true }))
    expect(unasked.every(c => !c.usage)).toBe(true)
  })
})

describe.each([['strict', () => strict], ['no-usage', () => noUsage], ['ollama', () => ollama]])('%s tool calls', (_name, fake) => {
  it('answers a tool call in one chunk, streamed and not', async () => {
    const params = { model: 'llama3.3', messages: ask('weather in Paris?'), tools: [weatherTool] }
    const res = await client(fake()).chat.completions.create(params)
    expect(res.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] } })
    const chunks = await collect(await client(fake()).chat.completions.create({ ...params, stream: true }))
    const withCall = chunks.filter(c => c.choices[0]?.delta.tool_calls)
    expect(withCall).toHaveLength(1)
    expect(withCall[0]!.choices[0]!.delta.tool_calls![0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_/), function: { name: 'get_weather', arguments: '{"city":"Paris"}' } })
    expect(chunks.at(-1)!.choices[0]?.finish_reason ?? chunks.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls')
  })
})

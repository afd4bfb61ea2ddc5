// The OpenAI adapter: requests pass through (model renamed, usage asked for on streams), answers are
// read only for usage, and stream usage chunks are dropped unless the client asked for them.
import { describe, expect, it } from 'vitest'
import { openai } from '../../server/utils/providers/openai'
import type { UpstreamTarget } from '../../server/utils/providers/types'

const target = { provider: 'openai', model: 'gpt-4o-mini', baseUrl: 'https://api.example.test/v1/', apiKey: 'sk-test', entry: {} } as unknown as UpstreamTarget

describe('OpenAI adapter', () => {
  it('passes every field through and asks streams for usage', () => {
    const req = openai.chat.request({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], logit_bias: { 1: 2 }, stream: true } as any, target, { stream: true })
    expect(req.url).toBe('https://api.example.test/v1/chat/completions')
    expect(req.headers.authorization).toBe('Bearer sk-test')
    expect(JSON.parse(req.body)).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], logit_bias: { 1: 2 }, stream: true, stream_options: { include_usage: true } })
  })

  it('sends the client\'s JSON text as it came when nothing needs to change', () => {
    const raw = '{ "model": "gpt-4o-mini", "messages": [{"role":"user","content":"x"}], "seed": 7 }'
    const plain = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], seed: 7 } as any
    expect(openai.chat.request(plain, target, { stream: false, raw }).body).toBe(raw)
    const streamed = { ...plain, stream: true, stream_options: { include_usage: true } }
    expect(openai.chat.request(streamed, target, { stream: true, raw: '{"same":"text"}' }).body).toBe('{"same":"text"}')
    // The client's own cap is the call's: still as it came.
    expect(openai.chat.request({ ...plain, max_tokens: 20 }, target, { stream: false, maxOutputTokens: 20, raw }).body).toBe(raw)
    // Renamed model, or a stream that did not ask for usage: serialised again with the change.
    expect(JSON.parse(openai.chat.request({ ...plain, model: 'openai/gpt-4o-mini' }, target, { stream: false, raw }).body).model).toBe('gpt-4o-mini')
    expect(JSON.parse(openai.chat.request({ ...plain, stream: true }, target, { stream: true, raw }).body).stream_options).toEqual({ include_usage: true })
    expect(openai.embeddings!.request({ model: 'gpt-4o-mini', input: 'a' }, target, '{"t":1}').body).toBe('{"t":1}')
    expect(JSON.parse(openai.embeddings!.request({ model: 'openai/gpt-4o-mini', input: 'a' }, target, '{"t":1}').body).model).toBe('gpt-4o-mini')
  })

  it('sends the call\'s cap when it differs from the client\'s, in the field the client used', () => {
    const raw = '{ "model": "gpt-4o-mini", "messages": [{"role":"user","content":"x"}] }\n'
    const plain = JSON.parse(raw)
    // A default cap on a request without one: added to the client's own text.
    const capped = openai.chat.request(plain, target, { stream: false, maxOutputTokens: 4096, raw }).body
    expect(capped).toBe('{ "model": "gpt-4o-mini", "messages": [{"role":"user","content":"x"}] ,"max_completion_tokens":4096}\n')
    expect(JSON.parse(capped)).toEqual({ ...plain, max_completion_tokens: 4096 })
    // A cap above the model's limit, lowered in the field(s) the client used.
    const body = (req: any, maxOutputTokens?: number) => JSON.parse(openai.chat.request(req, target, { stream: false, maxOutputTokens, raw: JSON.stringify(req) }).body)
    expect(body({ ...plain, max_tokens: 99_999 }, 16_384)).toEqual({ ...plain, max_tokens: 16_384 })
    expect(body({ ...plain, max_completion_tokens: 99_999 }, 16_384)).toEqual({ ...plain, max_completion_tokens: 16_384 })
    expect(body({ ...plain, max_tokens: 9, max_completion_tokens: 99_999 }, 16_384)).toEqual({ ...plain, max_tokens: 16_384, max_completion_tokens: 16_384 })
    expect(body({ ...plain, max_tokens: null }, 4096)).toEqual({ ...plain, max_tokens: null, max_completion_tokens: 4096 })
    // No cap for the call (a key without a budget): none is added.
    expect(openai.chat.request(plain, target, { stream: false, raw }).body).toBe(raw)
  })

  it('reads usage from the end of an answer, and from the whole body when it must', () => {
    const usage = { prompt_tokens: 30, completion_tokens: 4, total_tokens: 34, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 2 } }
    const body = JSON.stringify({ id: 'c', choices: [{ message: { content: 'says "usage": {not json} here' } }], usage })
    expect(openai.chat.response(body, target)).toEqual({ body, usage: { promptTokens: 30, cachedTokens: 10, cacheWriteTokens: 0, completionTokens: 4, reasoningTokens: 2 } })
    const spaced = JSON.stringify({ usage, choices: [] }, null, 2)
    expect(openai.chat.response(spaced, target).usage.promptTokens).toBe(30)
    expect(openai.chat.response('{"choices":[],"usage":null}', target).usage.promptTokens).toBe(0)
  })

  it('reads the prompt tokens written to the cache', () => {
    const usage = { prompt_tokens: 3000, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 1500 } }
    expect(openai.chat.response(JSON.stringify({ choices: [], usage }), target).usage).toMatchObject({ promptTokens: 3000, cachedTokens: 1000, cacheWriteTokens: 1500 })
  })

  it('drops the usage chunk unless asked, and meters it either way', () => {
    const usageChunk = JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } })
    const content = JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'hi' } }], usage: null })
    const quiet = openai.chat.stream(target, { includeUsage: false, id: 'x', created: 0 })
    expect([...quiet.push({ data: content }), ...quiet.push({ data: usageChunk }), ...quiet.push({ data: '[DONE]' })]).toEqual([content])
    expect(quiet.usage()).toMatchObject({ promptTokens: 5, completionTokens: 2 })
    const asked = openai.chat.stream(target, { includeUsage: true, id: 'x', created: 0 })
    expect(asked.push({ data: usageChunk })).toEqual([usageChunk])
  })
})

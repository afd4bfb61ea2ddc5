// The OpenAI adapter: requests pass through (model renamed, usage asked for on streams), answers are
// read only for usage, and stream usage chunks are dropped unless the client asked for them.
import { describe, expect, it } from 'vitest'
import { openai } from '../../server/utils/providers/openai'
import type { UpstreamTarget } from '../../server/utils/providers/types'

const target = { provider: 'openai', model: 'gpt-4o-mini', baseUrl: 'https://api.example.test/v1/', apiKey: 'sk-test', entry: {} } as unknown as UpstreamTarget

describe('OpenAI adapter', () => {
  it('passes every field through and asks streams for usage', () => {
    const req = openai.chat.request({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], logit_bias: { 1: 2 }, stream: true } as any, target, true)
    expect(req.url).toBe('https://api.example.test/v1/chat/completions')
    expect(req.headers.authorization).toBe('Bearer sk-test')
    expect(JSON.parse(req.body)).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], logit_bias: { 1: 2 }, stream: true, stream_options: { include_usage: true } })
  })

  it('sends the client\'s JSON text as it came when nothing needs to change', () => {
    const raw = '{ "model": "gpt-4o-mini", "messages": [{"role":"user","content":"x"}], "seed": 7 }'
    const plain = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], seed: 7 } as any
    expect(openai.chat.request(plain, target, false, raw).body).toBe(raw)
    const streamed = { ...plain, stream: true, stream_options: { include_usage: true } }
    expect(openai.chat.request(streamed, target, true, '{"same":"text"}').body).toBe('{"same":"text"}')
    // Renamed model, or a stream that did not ask for usage: serialised again with the change.
    expect(JSON.parse(openai.chat.request({ ...plain, model: 'openai/gpt-4o-mini' }, target, false, raw).body).model).toBe('gpt-4o-mini')
    expect(JSON.parse(openai.chat.request({ ...plain, stream: true }, target, true, raw).body).stream_options).toEqual({ include_usage: true })
    expect(openai.embeddings!.request({ model: 'gpt-4o-mini', input: 'a' }, target, '{"t":1}').body).toBe('{"t":1}')
    expect(JSON.parse(openai.embeddings!.request({ model: 'openai/gpt-4o-mini', input: 'a' }, target, '{"t":1}').body).model).toBe('gpt-4o-mini')
  })

  it('reads usage from the end of an answer, and from the whole body when it must', () => {
    const usage = { prompt_tokens: 30, completion_tokens: 4, total_tokens: 34, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 2 } }
    const body = JSON.stringify({ id: 'c', choices: [{ message: { content: 'says "usage": {not json} here' } }], usage })
    expect(openai.chat.response(body, target)).toEqual({ body, usage: { promptTokens: 30, cachedTokens: 10, cacheWriteTokens: 0, completionTokens: 4, reasoningTokens: 2 } })
    const spaced = JSON.stringify({ usage, choices: [] }, null, 2)
    expect(openai.chat.response(spaced, target).usage.promptTokens).toBe(30)
    expect(openai.chat.response('{"choices":[],"usage":null}', target).usage.promptTokens).toBe(0)
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

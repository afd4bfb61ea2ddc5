// Reasoning across dialects without a build: reasoning_effort as each target model takes it (the
// registry's capabilities), sampling limits, Claude's signed thinking blocks and Gemini's thoughts
// back in the chat form, a Claude tool loop with thinking on against the strict fake, and the
// Responses codec's reasoning items (summary events in OpenAI's order, signatures carried in
// encrypted_content and restored on the next turn).
import { createParser } from 'eventsource-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GatewayError } from '../../server/utils/core/errors'
import { ChatCompletionRequest } from '../../server/utils/dialects/openai'
import { ResponsesRequest } from '../../server/utils/dialects/openai-responses'
import { chatCompletionToResponse } from '../../server/utils/inbound/openai-responses/from-chat'
import { nativeResponsesRequest } from '../../server/utils/inbound/openai-responses/native'
import { decodeThinking, reasoningItem } from '../../server/utils/inbound/openai-responses/reasoning'
import { createResponsesStreamWriter } from '../../server/utils/inbound/openai-responses/stream'
import { responsesToChatRequest } from '../../server/utils/inbound/openai-responses/to-chat'
import { anthropic } from '../../server/utils/providers/anthropic'
import { google } from '../../server/utils/providers/google'
import { openai } from '../../server/utils/providers/openai'
import type { UpstreamTarget } from '../../server/utils/providers/types'
import { familyCapabilities, withFamilyCapabilities } from '../../server/utils/registry/capabilities'
import { mergeProvider } from '../../server/utils/registry/merge'
import type { ModelEntry, ProviderId } from '../../server/utils/registry/schema'
import { type FakeAnthropic, startFakeAnthropic } from '../helpers/fake-anthropic'
import { checkEventSequence } from '../helpers/responses-schema'

function target(provider: ProviderId, model: string, over: Partial<ModelEntry> = {}, conn = { baseUrl: 'https://upstream.test', apiKey: 'k' }): UpstreamTarget {
  const entry: ModelEntry = {
    id: model, provider, mode: 'chat', pricing: { input: 1, output: 2 }, aliases: [], status: 'active', source: 'seed', updatedAt: '2026-12-01T00:00:00.000Z',
    capabilities: familyCapabilities(provider, model), ...over,
  }
  return { provider, model, entry, ...conn }
}

const body = (t: UpstreamTarget, req: Record<string, unknown>, maxOutputTokens?: number) => {
  const adapter = { anthropic, google, openai }[t.provider as ProviderId]
  return JSON.parse(adapter.chat.request(ChatCompletionRequest.parse({ model: t.model, ...req }), t, { stream: false, maxOutputTokens }).body)
}
const hi = [{ role: 'user', content: 'hi' }]
const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }

describe('registry capabilities', () => {
  it('fills the reasoning and sampling keys from the family, keeping what a model has', () => {
    expect(familyCapabilities('anthropic', 'claude-sonnet-4-5')?.reasoning).toEqual({ control: 'budget', minBudget: 1024 })
    expect(familyCapabilities('anthropic', 'claude-opus-4-8')?.reasoning).toEqual({ control: 'adaptive' })
    expect(familyCapabilities('google', 'gemini-3.1-pro-preview')?.reasoning).toMatchObject({ control: 'level', levels: ['low', 'high'] })
    expect(familyCapabilities('openai', 'o3')).toEqual({ reasoning: { control: 'effort' }, sampling: { refuses: ['temperature', 'top_p'] } })
    const own = { reasoning: { control: 'none' as const } }
    expect(withFamilyCapabilities('anthropic', 'claude-opus-4-8', own)).toEqual({ ...own, sampling: { temperatureMax: 1, temperatureOrTopP: true } })
  })

  it('keeps a model\'s capabilities across a scrape and gives an added model its family\'s', () => {
    const held = target('anthropic', 'claude-opus-4-8', { capabilities: { reasoning: { control: 'budget', minBudget: 2048 } } }).entry
    const { models } = mergeProvider([held], 'anthropic', [
      { id: 'claude-opus-4-8', mode: 'chat', pricing: { input: 1, output: 2 } },
      { id: 'claude-sonnet-4-5', mode: 'chat', pricing: { input: 1, output: 2 } },
    ], '2026-12-02T00:00:00.000Z')
    expect(models[0]!.capabilities).toEqual({ reasoning: { control: 'budget', minBudget: 2048 }, sampling: { temperatureMax: 1, temperatureOrTopP: true } })
    expect(models[1]!.capabilities?.reasoning).toEqual({ control: 'budget', minBudget: 1024 })
  })
})

describe('reasoning_effort and sampling per target', () => {
  it('Claude with a budget: budget_tokens below max_tokens, no temperature or top_p beside it', () => {
    const t = target('anthropic', 'claude-sonnet-4-5', { maxOutputTokens: 64000 })
    expect(body(t, { messages: hi, reasoning_effort: 'medium', temperature: 0.3, top_p: 0.5 })).toMatchObject({ max_tokens: 64000, thinking: { type: 'enabled', budget_tokens: 8192 } })
    expect(body(t, { messages: hi, reasoning_effort: 'medium', temperature: 0.3 })).not.toHaveProperty('temperature')
    // At most half the cap, so the answer keeps room; the least budget while it stays below the cap.
    expect(body(t, { messages: hi, reasoning_effort: 'high' }, 4000).thinking).toEqual({ type: 'enabled', budget_tokens: 2000 })
    expect(body(t, { messages: hi, reasoning_effort: 'high' }, 1500).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 })
    expect(() => body(t, { messages: hi, reasoning_effort: 'low', max_completion_tokens: 1000 }, 1000)).toThrow(GatewayError)
    expect(body(t, { messages: hi, reasoning_effort: 'none', temperature: 1.5 })).toMatchObject({ temperature: 1 })
    expect(body(t, { messages: hi, reasoning_effort: 'none' })).not.toHaveProperty('thinking')
  })

  it('Claude 4.6 and later: adaptive thinking with output_config.effort', () => {
    const t = target('anthropic', 'claude-opus-4-8')
    expect(body(t, { messages: hi, reasoning_effort: 'xhigh' })).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'max' } })
    expect(body(t, { messages: hi, reasoning_effort: 'minimal' }).output_config).toEqual({ effort: 'low' })
    // Thinking cannot go beside a forced tool (a response_format's included): it stays off.
    expect(body(t, { messages: hi, reasoning_effort: 'high', response_format: { type: 'json_object' } })).not.toHaveProperty('thinking')
    expect(body(target('anthropic', 'claude-3-5-haiku-latest'), { messages: hi, reasoning_effort: 'high' })).not.toHaveProperty('thinking')
  })

  it('Claude: signed thinking blocks open their assistant turn again; a turn without them turns thinking off', () => {
    const t = target('anthropic', 'claude-opus-4-8')
    const call = { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }
    const signed = [{ type: 'thinking', thinking: 'hmm', signature: 'sig' }, { type: 'redacted_thinking', data: 'zzz' }]
    const loop = (assistant: Record<string, unknown>) => body(t, {
      messages: [{ role: 'user', content: 'weather?' }, { role: 'assistant', content: 'Checking.', tool_calls: [call], ...assistant }, { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' }],
      tools: [weather], reasoning_effort: 'high',
    })
    const withBlocks = loop({ thinking_blocks: signed, reasoning_content: 'hmm' })
    expect(withBlocks.messages[1].content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'sig' }, { type: 'redacted_thinking', data: 'zzz' },
      { type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
    ])
    expect(withBlocks.thinking).toEqual({ type: 'adaptive' })
    expect(loop({})).not.toHaveProperty('thinking')
  })

  it('Gemini: a budget on 2.5 models, a level on Gemini 3, includeThoughts when the reasoning is wanted', () => {
    expect(body(target('google', 'gemini-2.5-flash'), { messages: hi, reasoning_effort: 'low' }).generationConfig.thinkingConfig).toEqual({ thinkingBudget: 2048, includeThoughts: true })
    expect(body(target('google', 'gemini-2.5-flash'), { messages: hi, reasoning_effort: 'none' }).generationConfig.thinkingConfig).toEqual({ thinkingBudget: 0 })
    // 2.5 Pro always thinks: 'none' is its least budget.
    expect(body(target('google', 'gemini-2.5-pro'), { messages: hi, reasoning_effort: 'none' }).generationConfig.thinkingConfig).toEqual({ thinkingBudget: 128 })
    expect(body(target('google', 'gemini-3-flash-preview'), { messages: hi, reasoning_effort: 'medium', include_reasoning: false }).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'medium' })
    expect(body(target('google', 'gemini-3.1-pro-preview'), { messages: hi, reasoning_effort: 'medium' }).generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'high', includeThoughts: true })
    expect(body(target('google', 'gemini-3.1-pro-preview'), { messages: hi, reasoning_effort: 'minimal' }).generationConfig.thinkingConfig.thinkingLevel).toBe('low')
    expect(body(target('google', 'gemini-2.5-flash'), { messages: hi })).not.toHaveProperty('generationConfig')
  })

  it('OpenAI reasoning models: temperature and top_p left out, reasoning_effort as sent', () => {
    expect(body(target('openai', 'o3'), { messages: hi, temperature: 0.2, top_p: 0.5, reasoning_effort: 'high' })).toEqual({ model: 'o3', messages: hi, reasoning_effort: 'high' })
    const raw = JSON.stringify({ model: 'gpt-4o-mini', messages: hi, temperature: 0.2 })
    const t = target('openai', 'gpt-4o-mini')
    expect(openai.chat.request(ChatCompletionRequest.parse(JSON.parse(raw)), t, { stream: false, raw }).body).toBe(raw)
  })
})

describe('reasoning output in the chat form', () => {
  it('Claude: reasoning_content and signed thinking_blocks, streamed and not', () => {
    const t = target('anthropic', 'claude-opus-4-8')
    const content = [{ type: 'thinking', thinking: 'Let me think.', signature: 'c2ln' }, { type: 'redacted_thinking', data: 'cmVk' }, { type: 'text', text: 'Hi!' }]
    const msg = JSON.parse(anthropic.chat.response(JSON.stringify({ id: 'msg_1', model: 'claude-opus-4-8', content, stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 9 } }), t).body).choices[0].message
    expect(msg).toMatchObject({ content: 'Hi!', reasoning_content: 'Let me think.', thinking_blocks: [content[0], content[1]] })
    const plain = JSON.parse(anthropic.chat.response(JSON.stringify({ id: 'msg_2', content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn', usage: {} }), t).body).choices[0].message
    expect(plain).not.toHaveProperty('reasoning_content')
    expect(plain).not.toHaveProperty('thinking_blocks')

    const s = anthropic.chat.stream(t, { includeUsage: false, id: 'c', created: 1 })
    const ev = (data: object) => s.push({ data: JSON.stringify(data) }).map(c => JSON.parse(c).choices[0]?.delta)
    ev({ type: 'message_start', message: { usage: { input_tokens: 3 } } })
    ev({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } })
    expect(ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } })).toEqual([{ reasoning_content: 'Let me ' }])
    ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } })
    expect(ev({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } })).toEqual([])
    expect(ev({ type: 'content_block_stop', index: 0 })).toEqual([{ thinking_blocks: [content[0]] }])
    ev({ type: 'content_block_start', index: 1, content_block: content[1] })
    expect(ev({ type: 'content_block_stop', index: 1 })).toEqual([{ thinking_blocks: [content[0], content[1]] }])
  })

  it('Gemini: thought parts as reasoning_content deltas', () => {
    const s = google.chat.stream(target('google', 'gemini-2.5-flash'), { includeUsage: false, id: 'c', created: 1 })
    const deltas = s.push({ data: JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Pondering.', thought: true }, { text: 'Hi' }] } }] }) }).map(c => JSON.parse(c).choices[0].delta)
    expect(deltas).toEqual([{ role: 'assistant', content: '', refusal: null }, { reasoning_content: 'Pondering.' }, { content: 'Hi' }])
  })
})

describe('a Claude tool loop with thinking on, against the strict fake', () => {
  let fake: FakeAnthropic
  beforeAll(async () => { fake = await startFakeAnthropic() })
  afterAll(() => fake?.close())

  it('sends the signed thinking blocks back as the fake gave them, streamed or not', async () => {
    for (const stream of [false, true]) {
      const t = target('anthropic', 'claude-sonnet-4-5', { maxOutputTokens: 64000 }, { baseUrl: fake.url, apiKey: fake.apiKey })
      const send = async (messages: unknown[]) => {
        const up = anthropic.chat.request(ChatCompletionRequest.parse({ model: t.model, messages, tools: [weather], reasoning_effort: 'low', temperature: 0.7 }), t, { stream })
        const res = await fetch(up.url, { method: 'POST', headers: up.headers, body: up.body })
        const text = await res.text()
        expect(res.status, text).toBe(200)
        if (!stream) return JSON.parse(anthropic.chat.response(text, t).body).choices[0].message
        // The stream's deltas accumulated as a client does: strings joined, other fields replaced.
        const tr = anthropic.chat.stream(t, { includeUsage: false, id: 'c', created: 1 })
        const message: Record<string, any> = { tool_calls: [] }
        createParser({ onEvent: e => tr.push({ event: e.event, data: e.data }).forEach((c) => {
          const d = JSON.parse(c).choices[0]?.delta ?? {}
          for (const { index, ...call } of d.tool_calls ?? []) {
            const held = message.tool_calls[index]
            if (held) held.function.arguments += call.function.arguments
            else message.tool_calls[index] = call
          }
          for (const k of ['content', 'reasoning_content']) if (d[k]) message[k] = (message[k] ?? '') + d[k]
          if (d.thinking_blocks) message.thinking_blocks = d.thinking_blocks
        }) }).feed(text)
        return { role: 'assistant', ...message }
      }
      const question = { role: 'user', content: 'What is the weather in Paris?' }
      const first = await send([question])
      expect(first.reasoning_content).toBe('Thinking about: What is the weather in Paris?')
      expect(first.thinking_blocks).toHaveLength(1)
      const second = await send([question, first, { role: 'tool', tool_call_id: first.tool_calls[0].id, content: 'sunny' }])
      expect(second.content).toBe('tool result: sunny')
      expect(fake.requests.at(-1)!.body.messages[1].content[0]).toEqual(first.thinking_blocks[0])
    }
  })
})

describe('Responses reasoning items for Claude and Gemini', () => {
  const req = (b: Record<string, unknown>) => ResponsesRequest.parse({ model: 'claude-opus-4-8', ...b })
  const shell = (b: Record<string, unknown>) => ({ id: 'resp_test', createdAt: 1_800_000_000, req: req(b) })
  const blocks = [{ type: 'thinking' as const, thinking: 'Let me think.', signature: 'c2ln' }]

  it('maps reasoning.effort and summary to the chat form', () => {
    expect(responsesToChatRequest(req({ reasoning: { effort: 'low', summary: 'auto' } }), [{ type: 'message', role: 'user', content: 'hi' }])).toMatchObject({ reasoning_effort: 'low', include_reasoning: true })
    expect(responsesToChatRequest(req({ reasoning: { effort: 'low' } }), [{ type: 'message', role: 'user', content: 'hi' }])).toMatchObject({ reasoning_effort: 'low', include_reasoning: false })
  })

  it('a completion becomes a reasoning item (summary only when asked) whose encrypted_content restores the blocks', () => {
    const completion = JSON.stringify({ choices: [{ message: { role: 'assistant', content: null, reasoning_content: 'Let me think.', thinking_blocks: blocks, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] }, finish_reason: 'tool_calls' }], usage: {} })
    const { response } = chatCompletionToResponse(completion, shell({ reasoning: { effort: 'high', summary: 'auto' } }))
    const [reasoning, call] = response.output as any[]
    expect(reasoning).toMatchObject({ type: 'reasoning', id: expect.stringMatching(/^rs_/), summary: [{ type: 'summary_text', text: 'Let me think.' }] })
    expect(decodeThinking(reasoning.encrypted_content)).toEqual(blocks)
    expect((chatCompletionToResponse(completion, shell({ reasoning: { effort: 'high' } })).response.output[0] as any).summary).toEqual([])

    const next = responsesToChatRequest(req({}), [
      { type: 'message', role: 'user', content: 'weather?' }, reasoning, call,
      { type: 'function_call_output', call_id: 'toolu_1', output: 'sunny' },
    ])
    expect(next.messages[1]).toMatchObject({ role: 'assistant', thinking_blocks: blocks, tool_calls: [{ id: 'toolu_1' }] })
    // Another provider's reasoning item (OpenAI's own encrypted content) is dropped.
    const foreign = responsesToChatRequest(req({}), [{ type: 'message', role: 'user', content: 'hi' }, { type: 'reasoning', summary: [], encrypted_content: 'gAAAAB' }, { type: 'message', role: 'assistant', content: 'ok' }])
    expect(foreign.messages[1]).not.toHaveProperty('thinking_blocks')
  })

  it('leaves the gateway\'s reasoning items out of a chain continued on OpenAI, and keeps OpenAI\'s own', () => {
    const ours = reasoningItem('rs_1', 'Let me think.', blocks)
    const theirs = { id: 'rs_2', type: 'reasoning', summary: [], encrypted_content: 'gAAAAB' }
    const history = [{ id: 'msg_0', type: 'message', role: 'user', content: 'hi' }, ours, { id: 'msg_1', type: 'message', role: 'assistant', content: 'ok' }, theirs]
    const sent = JSON.parse(nativeResponsesRequest(ResponsesRequest.parse({ model: 'gpt-5-mini', input: 'next' }), target('openai', 'gpt-5-mini'), { history }).body)
    expect(sent.input.map((i: any) => i.type ?? i.role)).toEqual(['message', 'message', 'reasoning', 'user'])
    expect(sent.input[2]).toEqual(theirs)
  })

  it('streams the reasoning item with its summary events in OpenAI\'s order', () => {
    const w = createResponsesStreamWriter(shell({ reasoning: { effort: 'high', summary: 'detailed' } }))
    const chunk = (delta: object, finish: string | null = null) => w.push(JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] }))
    let sse = chunk({ role: 'assistant', content: '' }) + chunk({ reasoning_content: 'Let me ' }) + chunk({ reasoning_content: 'think.' })
      + chunk({ thinking_blocks: blocks }) + chunk({ content: 'Hi' }) + chunk({}, 'stop')
    const done = w.finish({ promptTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, completionTokens: 2, reasoningTokens: 1 })
    sse += done.head + done.terminal()
    const events: any[] = []
    createParser({ onEvent: e => events.push(JSON.parse(e.data)) }).feed(sse)
    checkEventSequence(events)
    expect(events.map(e => e.type)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.completed',
    ])
    const item = events.find(e => e.type === 'response.output_item.done').item
    expect(item).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] })
    expect(decodeThinking(item.encrypted_content)).toEqual(blocks)
    expect(done.response.output[0]).toEqual(item)
  })
})

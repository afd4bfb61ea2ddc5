// Reasoning across dialects end to end: the built gateway, the strict fakes (which refuse thinking
// requests the real APIs refuse and check the signatures they gave), and the official SDKs.
// - Claude with thinking on through /v1/responses (reasoning.effort): a tool call, then a second turn
//   by previous_response_id, and by the items sent back with store: false, whose request carries the
//   signed thinking block back as the fake gave it; the same through chat completions with
//   reasoning_effort and the assistant message sent back.
// - Gemini: thoughts as reasoning summaries and reasoning_content, and the thought signature of a
//   Gemini 3 function call round trip (the fake refuses a turn without it).
// - OpenAI reasoning models: a temperature they refuse is left out; Anthropic `thinking` on
//   /v1/messages reaches OpenAI and Gemini targets as their reasoning control.
// Every turn is metered exactly: thinking tokens are output tokens at the registry's output price.
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProviders, registryCost, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, requestRow, startGateway } from '../helpers/gateway'
import { checkEventSequence, checkResponseBody } from '../helpers/responses-schema'

const CLAUDE = 'claude-sonnet-4-5'
const CLAUDE_ADAPTIVE = 'claude-opus-4-8'
const GEMINI_3 = 'gemini-3-flash-preview'
const GEMINI_25 = 'gemini-2.5-flash'
const weather = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false }
const chatWeather = { type: 'function' as const, function: { name: 'get_weather', parameters: weather.parameters } }
const QUESTION = 'What is the weather in Paris?'

let fakes: FakeProviders
let gw: GatewayProcess
let client: OpenAI
let apiKey: string



/** The request row of a call, checked to be metered at the registry's prices. */
async function meteredExactly(requestId: string | null) {
  const row = await requestRow(gw, requestId)
  expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  return row
}

beforeAll(async () => {
  fakes = await startFakeProviders()
  gw = await startGateway(fakes.env)
  apiKey = (await gw.admin('POST', '/api/admin/keys', { name: 'reasoning', budgetUsd: 50 })).body.key
  client = new OpenAI({ apiKey, baseURL: `${gw.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await gw?.stop()
  await fakes?.close()
  if (gw) removeDir(gw.dataDir)
})

describe('Claude with thinking on through /v1/responses', () => {
  it('a tool call, then previous_response_id: the signed thinking block goes back to the fake as it gave it', async () => {
    const { data: first, response } = await client.responses.create({ model: CLAUDE, input: QUESTION, tools: [weather], reasoning: { effort: 'low', summary: 'auto' } }).withResponse()
    checkResponseBody(first)
    const sent = fakes.anthropic.requests.at(-1)!.body
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
    expect(first.output.map(o => o.type)).toEqual(['reasoning', 'message', 'function_call'])
    const reasoning = first.output[0] as OpenAI.Responses.ResponseReasoningItem
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: `Thinking about: ${QUESTION}` }])
    expect(reasoning.encrypted_content).toMatch(/^gwr1\./)
    // Thinking words are output tokens: metered at the output price, with the rest of the answer.
    const row = await meteredExactly(response.headers.get('x-request-id'))
    expect(row.completionTokens).toBe(first.usage!.output_tokens)
    expect(row.completionTokens).toBe(8 + 5 + 12)

    const call = first.output.find(o => o.type === 'function_call')!
    const second = await client.responses.create({ model: CLAUDE, previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }], tools: [weather], reasoning: { effort: 'low' } })
    checkResponseBody(second)
    expect(second.output_text).toBe('tool result: sunny')
    const continued = fakes.anthropic.requests.at(-1)!.body
    expect(continued.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
    expect(continued.messages[1].content[0]).toEqual({ type: 'thinking', thinking: `Thinking about: ${QUESTION}`, signature: expect.any(String) })
    // No summary asked on the second turn: its reasoning item has none, but still carries the signature.
    expect(second.output[0]).toMatchObject({ type: 'reasoning', summary: [], encrypted_content: expect.stringMatching(/^gwr1\./) })
  })

  it('streams the reasoning item in OpenAI\'s order; with store: false the items sent back as input keep the loop working', async () => {
    const stream = client.responses.stream({ model: CLAUDE_ADAPTIVE, input: QUESTION, tools: [weather], store: false, reasoning: { effort: 'high', summary: 'detailed' } })
    const events: any[] = []
    for await (const e of stream) events.push(e)
    const checked = checkEventSequence(events)
    // The reasoning item comes first: added, its summary part, text deltas, then the .done events.
    const types = checked.map(e => e.type)
    const first = types.slice(2, types.indexOf('response.output_item.done') + 1)
    expect(first.slice(0, 2)).toEqual(['response.output_item.added', 'response.reasoning_summary_part.added'])
    expect(new Set(first.slice(2, -3))).toEqual(new Set(['response.reasoning_summary_text.delta']))
    expect(first.slice(-3)).toEqual(['response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done'])
    const final = await stream.finalResponse()
    expect(fakes.anthropic.requests.at(-1)!.body).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'high' } })
    const summary = events.filter(e => e.type === 'response.reasoning_summary_text.delta').map(e => e.delta).join('')
    expect(summary).toBe(`Thinking about: ${QUESTION}`)
    const terminal = checked.at(-1) as any
    expect(terminal.response.usage.output_tokens).toBe(8 + 5 + 12)

    const call = final.output.find(o => o.type === 'function_call')!
    const second = await client.responses.create({
      model: CLAUDE_ADAPTIVE, store: false, tools: [weather], reasoning: { effort: 'high' },
      input: [{ role: 'user', content: QUESTION }, ...final.output as OpenAI.Responses.ResponseInputItem[], { type: 'function_call_output', call_id: call.call_id, output: 'rainy' }],
    })
    expect(second.output_text).toBe('tool result: rainy')
    expect(fakes.anthropic.requests.at(-1)!.body.messages[1].content[0]).toMatchObject({ type: 'thinking', thinking: `Thinking about: ${QUESTION}` })
  })
})

describe('Claude with thinking on through chat completions', () => {
  it('reasoning_content and thinking_blocks come back; the message sent back carries them to the fake', async () => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: QUESTION }]
    const { data: first, response } = await client.chat.completions.create({ model: CLAUDE, messages, tools: [chatWeather], reasoning_effort: 'medium', temperature: 0.4 }).withResponse()
    const message = first.choices[0]!.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string, thinking_blocks?: unknown[] }
    // medium is 8192 tokens, but the budgeted key's default cap (4096) allows half of it.
    expect(fakes.anthropic.requests.at(-1)!.body).toMatchObject({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } })
    expect(fakes.anthropic.requests.at(-1)!.body).not.toHaveProperty('temperature')
    expect(message.reasoning_content).toBe(`Thinking about: ${QUESTION}`)
    expect(message.thinking_blocks).toEqual([{ type: 'thinking', thinking: `Thinking about: ${QUESTION}`, signature: expect.any(String) }])
    const row = await meteredExactly(response.headers.get('x-request-id'))
    expect(row.completionTokens).toBe(first.usage!.completion_tokens)

    messages.push(message as OpenAI.Chat.ChatCompletionMessageParam, { role: 'tool', tool_call_id: message.tool_calls![0]!.id, content: 'cloudy' })
    const second = await client.chat.completions.create({ model: CLAUDE, messages, tools: [chatWeather], reasoning_effort: 'medium' })
    expect(second.choices[0]!.message.content).toBe('tool result: cloudy')
    expect(fakes.anthropic.requests.at(-1)!.body.messages[1].content[0]).toEqual(message.thinking_blocks![0])
  })

  it('streams reasoning_content deltas, and nothing extra without reasoning', async () => {
    const stream = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'one two' }], reasoning_effort: 'low', stream: true, stream_options: { include_usage: true } })
    let reasoning = ''
    let blocks: unknown
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string, thinking_blocks?: unknown } | undefined
      reasoning += delta?.reasoning_content ?? ''
      blocks = delta?.thinking_blocks ?? blocks
    }
    expect(reasoning).toBe('Thinking about: one two')
    expect(blocks).toEqual([{ type: 'thinking', thinking: 'Thinking about: one two', signature: expect.any(String) }])
    const plain = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'one two' }] })
    expect(plain.choices[0]!.message).not.toHaveProperty('reasoning_content')
    expect(plain.choices[0]!.message).not.toHaveProperty('thinking_blocks')
    expect(fakes.anthropic.requests.at(-1)!.body).not.toHaveProperty('thinking')
  })
})

describe('Gemini reasoning', () => {
  it('a Gemini 3 tool loop keeps its thought signature across turns, with thoughts as the summary', async () => {
    const first = await client.responses.create({ model: GEMINI_3, input: QUESTION, tools: [weather], reasoning: { effort: 'medium', summary: 'auto' } })
    checkResponseBody(first)
    expect(fakes.gemini.requests.at(-1)!.body.generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'medium', includeThoughts: true })
    expect(first.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: `Thinking about: ${QUESTION}` }] })
    const call = first.output.find(o => o.type === 'function_call')!
    const issued = fakes.gemini.requests.length
    // The fake refuses a Gemini 3 function-call turn without the signature it issued.
    const second = await client.responses.create({ model: GEMINI_3, previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }], tools: [weather], reasoning: { effort: 'medium' } })
    expect(second.output_text).toContain('sunny')
    const sentBack = fakes.gemini.requests[issued]!.body.contents[1].parts.find((p: any) => p.functionCall)
    expect(sentBack.thoughtSignature).toMatch(/^[\w+/=]{20,}$/)
    expect(sentBack.thoughtSignature).not.toBe('skip_thought_signature_validator')
  })

  it('chat completions: reasoning_content from thought parts, thinking tokens metered at the output price', async () => {
    const { data, response } = await client.chat.completions.create({ model: GEMINI_25, messages: [{ role: 'user', content: 'one two three' }], reasoning_effort: 'low' }).withResponse()
    expect(fakes.gemini.requests.at(-1)!.body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 2048, includeThoughts: true })
    expect((data.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBe('Thinking about: one two three')
    expect(data.usage!.completion_tokens_details!.reasoning_tokens).toBe(7)
    const row = await meteredExactly(response.headers.get('x-request-id'))
    expect(row.completionTokens).toBe(4 + 7)
  })
})

describe('OpenAI targets and /v1/messages', () => {
  it('leaves out a temperature an OpenAI reasoning model refuses', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'hi there' }], temperature: 0.3, reasoning_effort: 'low' })
    expect(res.choices[0]!.message.content).toBe('echo: there hi')
    expect(fakes.openai.requests.at(-1)!.body).not.toHaveProperty('temperature')
    expect(fakes.openai.requests.at(-1)!.body.reasoning_effort).toBe('low')
  })

  it('maps Anthropic thinking to reasoning_effort for OpenAI and to thinkingConfig for Gemini', async () => {
    const anthropicClient = new Anthropic({ apiKey, baseURL: gw.url, maxRetries: 0 })
    await anthropicClient.messages.create({ model: 'gpt-5-mini', max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 10000 }, messages: [{ role: 'user', content: 'hi' }] })
    expect(fakes.openai.requests.at(-1)!.body.reasoning_effort).toBe('high')
    await anthropicClient.messages.create({ model: GEMINI_25, max_tokens: 4096, thinking: { type: 'adaptive' }, output_config: { effort: 'low' }, messages: [{ role: 'user', content: 'hi' }] } as Anthropic.MessageCreateParamsNonStreaming)
    expect(fakes.gemini.requests.at(-1)!.body.generationConfig.thinkingConfig).toMatchObject({ thinkingBudget: 2048 })
  })

  it('gives a Gemini model\'s thoughts back as thinking blocks, which a later Claude turn leaves out', async () => {
    const anthropicClient = new Anthropic({ apiKey, baseURL: gw.url, maxRetries: 0 })
    const ask = { model: GEMINI_25, max_tokens: 4096, thinking: { type: 'enabled' as const, budget_tokens: 2048 }, messages: [{ role: 'user' as const, content: 'one two' }] }
    const plain = await anthropicClient.messages.create(ask)
    expect(plain.content[0]).toEqual({ type: 'thinking', thinking: 'Thinking about: one two', signature: 'gateway-thinking.v1.google' })
    expect(plain.content[1]).toEqual({ type: 'text', text: 'echo: two one' })
    const streamed = await anthropicClient.messages.stream(ask).finalMessage()
    expect(streamed.content).toEqual(plain.content)
    // Claude would refuse the gateway's signature (the fake checks every thinking block's): it is left out.
    const next = await anthropicClient.messages.create({ ...ask, model: CLAUDE, messages: [...ask.messages, { role: 'assistant', content: plain.content }, { role: 'user', content: 'three' }] })
    expect(next.content.at(-1)).toEqual({ type: 'text', text: 'echo: three' })
    expect(fakes.anthropic.requests.at(-1)!.body.messages[1].content).toEqual([{ type: 'text', text: 'echo: two one' }])
  })
})

// Coding agents through the gateway on other providers' models: the requests Claude Code sends to
// /v1/messages and Codex CLI sends to /v1/responses (tests/fixtures/agents/, their shape), replayed with
// the agents' own SDKs against the strict fakes, which refuse an output cap above the model's limit and
// fields or tools the model does not take. Each turn must be accepted upstream, fitted as the README
// says (caps clamped, namespace tools flattened, web search mapped or left out with a warning header,
// include items and client metadata not sent on) and answered in the agent's dialect, metered at the
// registry's prices.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProviders, registryCost, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'
import { checkEventSequence } from '../helpers/responses-schema'

const GPT = 'gpt-4o-mini'
const CLAUDE = 'claude-haiku-4-5'
const GEMINI = 'gemini-2.5-flash'
const fixture = (name: string, model: string) => ({
  ...JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/agents', `${name}.json`), 'utf8')),
  model,
})

let fakes: FakeProviders
let gw: GatewayProcess
let anthropic: Anthropic
let openai: OpenAI

beforeAll(async () => {
  fakes = await startFakeProviders()
  gw = await startGateway(fakes.env)
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'agents' })).body.key
  anthropic = new Anthropic({ apiKey: key, baseURL: gw.url, maxRetries: 0 })
  openai = new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await gw?.stop()
  await fakes?.close()
  if (gw) removeDir(gw.dataDir)
})

async function rowOf(requestId: string | null) {
  for (let i = 0; i < 50; i++) {
    const row = (await gw.admin('GET', '/api/admin/requests?limit=200')).body.data.find((r: any) => r.id === requestId)
    if (row) return row
    await new Promise(r => setTimeout(r, 50))
  }
  throw new Error(`no request row ${requestId}`)
}

/** The upstream body the fake of `model`'s provider received last. */
function upstreamBody(model: string): any {
  const fake = model === GPT ? fakes.openai : model === CLAUDE ? fakes.anthropic : fakes.gemini
  return fake.requests.at(-1)!.body
}

/** Streams a Claude Code request through the Anthropic SDK: its events, the final message and the response headers. */
async function claudeCode(name: string, model: string) {
  const { data: stream, response } = await anthropic.messages.create(fixture(name, model) as Anthropic.MessageCreateParamsStreaming).withResponse()
  const events: any[] = []
  for await (const e of stream) events.push(e)
  return { events, response }
}

/** Streams a Codex request through the openai SDK: its events and the response headers. */
async function codex(body: OpenAI.Responses.ResponseCreateParamsStreaming) {
  const { data: stream, response } = await openai.responses.create(body).withResponse()
  const events: any[] = []
  for await (const e of stream) events.push(e)
  checkEventSequence(events)
  return { events, response, completed: events.at(-1).response }
}

const warnings = (response: Response) => response.headers.get('x-gateway-warning')

describe.each([[GPT], [GEMINI]])('Claude Code on %s', (model) => {
  it('first turn: accepted with the cap fitted, answered as an Anthropic stream, metered', async () => {
    const { events, response } = await claudeCode('claude-code-first-turn', model)
    expect(events.map(e => e.type)).toEqual(expect.arrayContaining(['message_start', 'content_block_start', 'content_block_delta', 'message_delta', 'message_stop']))
    const text = events.filter(e => e.type === 'content_block_delta').map(e => e.delta.text ?? '').join('')
    expect(text).toContain('echo:')
    const sent = upstreamBody(model)
    if (model === GPT) {
      // gpt-4o-mini writes at most 16,384 tokens: Claude Code's 32,000 is lowered to it.
      expect(sent.max_completion_tokens).toBe(16_384)
      expect(sent).not.toHaveProperty('max_tokens')
      expect(sent).not.toHaveProperty('user')
      expect(sent.tools.map((t: any) => t.function.name)).toEqual(['Bash', 'Read', 'Glob', 'WebSearch'])
    }
    else {
      expect(sent.generationConfig.maxOutputTokens).toBe(32_000)
      expect(sent.tools[0].functionDeclarations.map((d: any) => d.name)).toEqual(['Bash', 'Read', 'Glob', 'WebSearch'])
    }
    const row = await rowOf(response.headers.get('x-request-id'))
    expect(row).toMatchObject({ endpoint: 'messages', model, status: 200 })
    expect(row.completionTokens).toBeGreaterThan(0)
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('tool turn: the tool_use and its result reach the model paired, the answer reads the result', async () => {
    const { events } = await claudeCode('claude-code-tool-turn', model)
    const text = events.filter(e => e.type === 'content_block_delta').map(e => e.delta.text ?? '').join('')
    // The Gemini fake answers from the function result; the OpenAI fake always echoes the last user text.
    expect(text).toContain(model === GPT ? 'echo: have? project this does files Which' : 'README.md')
    const sent = upstreamBody(model)
    if (model === GPT) {
      expect(sent.messages.map((m: any) => m.role)).toEqual(['system', 'user', 'assistant', 'tool'])
      expect(sent.messages[2].tool_calls[0]).toMatchObject({ id: 'toolu_01Hx7Jq2kFv9Wm3NpR5tLs8B', function: { name: 'Glob' } })
    }
    else {
      expect(sent.contents.map((c: any) => c.role)).toEqual(['user', 'model', 'user'])
      expect(sent.contents[2].parts[0].functionResponse).toMatchObject({ name: 'Glob' })
    }
  })
})

describe('Claude Code\'s web search call', () => {
  it('is Google Search on Gemini', async () => {
    const { response } = await claudeCode('claude-code-web-search', GEMINI)
    expect(upstreamBody(GEMINI).tools).toEqual([{ googleSearch: {} }])
    expect(warnings(response)).toBeNull()
  })

  it('is left out, with a warning header, on a model without web search', async () => {
    const { events, response } = await claudeCode('claude-code-web-search', GPT)
    expect(events.at(-1).type).toBe('message_stop')
    expect(upstreamBody(GPT)).not.toHaveProperty('tools')
    expect(upstreamBody(GPT)).not.toHaveProperty('web_search_options')
    expect(warnings(response)).toBe(`web_search left out: ${GPT} has no web search`)
  })
})

describe.each([[GPT], [CLAUDE], [GEMINI]])('Codex on %s', (model) => {
  it('first turn: accepted, answered as a Responses stream whose function call Codex can run', async () => {
    const { completed, response } = await codex(fixture('codex-first-turn', model))
    expect(completed.status).toBe('completed')
    const call = completed.output.find((o: any) => o.type === 'function_call')
    expect(call).toMatchObject({ name: 'exec_command', arguments: '{"city":"Paris"}' })
    const sent = upstreamBody(model)
    if (model === GPT) {
      // Natively: only the include item gpt-4o-mini refuses is taken out.
      const { include, ...asSent } = fixture('codex-first-turn', model)
      expect(include).toEqual(['reasoning.encrypted_content'])
      expect(sent).toEqual({ ...asSent, include: [] })
      expect(warnings(response)).toBe(`include reasoning.encrypted_content left out: ${GPT} does not produce it`)
    }
    else if (model === CLAUDE) {
      expect(sent.tools.map((t: any) => t.name)).toEqual(['exec_command', 'update_plan', 'multi_agent_v1__spawn_agent', 'multi_agent_v1__wait_agent', 'web_search'])
      expect(sent.tools.at(-1)).toEqual({ type: 'web_search_20250305', name: 'web_search' })
      expect(sent).not.toHaveProperty('metadata')
      expect(sent.max_tokens).toBe(64_000)
      expect(warnings(response)).toBe(`include reasoning.encrypted_content left out: ${CLAUDE} does not produce it`)
    }
    else {
      expect(sent.tools).toEqual([{ functionDeclarations: expect.any(Array) }])
      expect(sent.tools[0].functionDeclarations.map((d: any) => d.name)).toEqual(['exec_command', 'update_plan', 'multi_agent_v1__spawn_agent', 'multi_agent_v1__wait_agent'])
      expect(warnings(response)).toBe([
        `include reasoning.encrypted_content left out: ${GEMINI} does not produce it`,
        `web_search left out: ${GEMINI} cannot search the web and call functions in one request`,
      ].join(', '))
    }
    for (const field of ['prompt_cache_key', 'client_metadata', 'store']) {
      if (model !== GPT) expect(sent).not.toHaveProperty(field)
    }
    const row = await rowOf(response.headers.get('x-request-id'))
    expect(row).toMatchObject({ endpoint: 'responses', model, status: 200 })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('function-call turn: the calls and their outputs reach the model paired, a namespace\'s call by its flattened name', async () => {
    const { completed } = await codex(fixture('codex-function-call-turn', model))
    expect(completed.status).toBe('completed')
    expect(completed.output.find((o: any) => o.type === 'message').content[0].text).toMatch(/^tool result: .*agent-1 started/)
    const sent = upstreamBody(model)
    if (model === GPT) expect(sent.input.at(-2)).toMatchObject({ type: 'function_call', name: 'spawn_agent', namespace: 'multi_agent_v1' })
    else if (model === CLAUDE) {
      const calls = sent.messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).filter((b: any) => b.type === 'tool_use')
      expect(calls.map((b: any) => b.name)).toEqual(['exec_command', 'multi_agent_v1__spawn_agent'])
    }
    else {
      const calls = sent.contents.flatMap((c: any) => c.parts).filter((p: any) => p.functionCall)
      expect(calls.map((p: any) => p.functionCall.name)).toEqual(['exec_command', 'multi_agent_v1__spawn_agent'])
    }
  })
})

describe('a namespace\'s function called by a translated model', () => {
  it('comes back to Codex as the namespaced function_call', async () => {
    const body = { ...fixture('codex-first-turn', CLAUDE), tool_choice: { type: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1' } }
    const { completed, events } = await codex(body)
    expect(upstreamBody(CLAUDE).tool_choice).toEqual({ type: 'tool', name: 'multi_agent_v1__spawn_agent' })
    const call = completed.output.find((o: any) => o.type === 'function_call')
    expect(call).toMatchObject({ name: 'spawn_agent', namespace: 'multi_agent_v1' })
    expect(events.find(e => e.type === 'response.output_item.added' && e.item.type === 'function_call').item).toMatchObject({ name: 'spawn_agent', namespace: 'multi_agent_v1' })
  })
})

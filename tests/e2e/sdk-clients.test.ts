// The clients apps use by default, through the gateway to an OpenAI, a Claude and a Gemini model on
// the strict fakes: the Vercel AI SDK's `openai(model)` (the Responses API) generateText and
// streamText, and the OpenAI Agents SDK in its default mode (the Responses API) running an agent with
// one function tool that it calls before it answers. Each call is metered at the registry price.
import { createOpenAI } from '@ai-sdk/openai'
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled, tool as agentTool } from '@openai/agents'
import { generateText, stepCountIs, streamText, tool } from 'ai'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { fakeReply } from '../helpers/fake-openai'
import { type FakeProviders, registryCost, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

const MODELS = [['gpt-4o-mini'], ['claude-haiku-4-5'], ['gemini-2.5-flash']]

let fakes: FakeProviders
let gw: GatewayProcess
let apiKey: string

const echo = (text: string) => fakeReply([{ role: 'user', content: text }])

let keyId: string

/** This key's request-log rows, newest first. */
const keyRows = async () => (await gw.admin('GET', `/api/admin/requests?limit=500&keyId=${keyId}`)).body.data as any[]

/** The rows written after the first `since`, oldest first, once there are `count` of them. */
async function rowsAfter(since: number, count: number) {
  for (let i = 0; i < 100; i++) {
    const rows = await keyRows()
    if (rows.length >= since + count) return rows.slice(0, rows.length - since).reverse()
    await new Promise(r => setTimeout(r, 25))
  }
  throw new Error(`fewer than ${count} new request rows`)
}

const logged = async () => (await keyRows()).length

beforeAll(async () => {
  fakes = await startFakeProviders()
  gw = await startGateway(fakes.env)
  const { body } = await gw.admin('POST', '/api/admin/keys', { name: 'sdk clients', budgetUsd: 20 })
  ;({ key: apiKey, id: keyId } = body)
  setTracingDisabled(true)
  setDefaultOpenAIClient(new OpenAI({ apiKey, baseURL: `${gw.url}/v1`, maxRetries: 0 }))
})

afterAll(async () => {
  await gw?.stop()
  await fakes?.close()
  if (gw) removeDir(gw.dataDir)
})

describe.each(MODELS)('the Vercel AI SDK\'s openai(%s)', (model) => {
  const openai = () => createOpenAI({ apiKey, baseURL: `${gw.url}/v1` })

  it('generateText answers through the Responses API, metered at the registry price', async () => {
    const before = await logged()
    const { text, usage, response } = await generateText({ model: openai()(model), prompt: 'tell me something', maxRetries: 0 })
    expect(text).toBe(echo('tell me something'))
    expect(response.id).toMatch(/^resp_/)
    const [row] = await rowsAfter(before, 1)
    expect(row).toMatchObject({ endpoint: 'responses', model, status: 200, promptTokens: usage.inputTokens, completionTokens: usage.outputTokens })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('streamText streams the text and its usage', async () => {
    const before = await logged()
    const result = streamText({ model: openai()(model), prompt: 'stream some words now', maxRetries: 0, onError: () => {} })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(text).toBe(echo('stream some words now'))
    const usage = await result.usage
    expect(usage.outputTokens).toBeGreaterThan(0)
    const [row] = await rowsAfter(before, 1)
    expect(row).toMatchObject({ endpoint: 'responses', model, stream: true, status: 200, promptTokens: usage.inputTokens, completionTokens: usage.outputTokens })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })
  it('generateText runs a tool loop: the call, its result sent back, the answer', async () => {
    const calls: string[] = []
    const getWeather = tool({
      description: 'The weather in a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push(city)
        return `rainy in ${city}`
      },
    })
    const { text, steps } = await generateText({ model: openai()(model), prompt: 'what is the weather in Paris', tools: { get_weather: getWeather }, stopWhen: stepCountIs(3), maxRetries: 0 })
    expect(calls).toEqual(['Paris'])
    expect(steps).toHaveLength(2)
    expect(text).toContain('rainy in Paris')
  })
})

describe.each(MODELS)('the OpenAI Agents SDK on %s', (model) => {
  it('runs an agent that calls its function tool and answers from the result', async () => {
    const calls: string[] = []
    const getWeather = agentTool({
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push(city)
        return `sunny in ${city}`
      },
    })
    const agent = new Agent({ name: 'Forecaster', instructions: 'Answer questions about the weather.', model, tools: [getWeather] })
    const before = await logged()
    const result = await run(agent, 'what is the weather in Paris')
    expect(calls).toEqual(['Paris'])
    expect(result.finalOutput).toContain('sunny in Paris')
    // Two model turns: the tool call, then the answer; each metered.
    const rows = await rowsAfter(before, 2)
    expect(rows.map((r: any) => [r.endpoint, r.model, r.status])).toEqual([['responses', model, 200], ['responses', model, 200]])
    for (const row of rows) expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })
})

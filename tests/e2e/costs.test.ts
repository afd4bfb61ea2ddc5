// Costs to the nano-dollar through the built gateway and the strict fakes: every request row's cost
// equals the hand computation from the saved pricing pages' prices (USD per 1M tokens, so a token
// at $X/1M costs X × 1000 nano-dollars). Dated prices are checked on a gateway whose clock is set
// with libfaketime (Debian's faketime package), so that no test hook reaches the production code.
import { existsSync } from 'node:fs'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeGemini } from '../helpers/fake-gemini'
import type { FakeOpenAI } from '../helpers/fake-openai'
import { type FakeProviders, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

let fakes: FakeProviders
let openaiFake: FakeOpenAI
let geminiFake: FakeGemini
let gw: GatewayProcess
let client: OpenAI
let anthropic: Anthropic

async function rowOf(requestId: string | null) {
  const rows = (await gw.admin('GET', '/api/admin/requests?limit=50')).body.data
  return rows.find((r: any) => r.id === requestId)
}

beforeAll(async () => {
  fakes = await startFakeProviders()
  ;({ openai: openaiFake, gemini: geminiFake } = fakes)
  gw = await startGateway(fakes.env)
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'costs' })).body.key
  client = new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
  anthropic = new Anthropic({ apiKey: key, baseURL: gw.url, maxRetries: 0 })
})

afterAll(async () => {
  await gw?.stop()
  await fakes?.close()
  if (gw) removeDir(gw.dataDir)
})

describe('OpenAI cache writes', () => {
  // gpt-5.6-sol on the saved page, per 1M tokens: short context $4 input, $0.40 cached, $5 cache
  // writes, $20 output; long context (above 272K) $8, $0.80, $10 and $30.
  it.each([
    ['below', 1_000, { cached: 400, write: 5000, output: 20_000 }],
    ['above', 280_000, { cached: 800, write: 10_000, output: 30_000 }],
  ])('bills gpt-5.6-sol\'s cache writes %s the 272K threshold at their own price', async (_side, words, nanoPerToken) => {
    const content = `[cached] [cache-write] ${'w '.repeat(words)}`
    const res = await client.chat.completions.create({ model: 'gpt-5.6-sol', messages: [{ role: 'user', content }] }).withResponse()
    const u = res.data.usage!
    const written = u.prompt_tokens_details!.cache_write_tokens!
    const cached = u.prompt_tokens_details!.cached_tokens!
    expect(u.prompt_tokens > 272_000).toBe(words > 272_000)
    expect(written).toBe(u.prompt_tokens - cached)
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row).toMatchObject({ promptTokens: u.prompt_tokens, cachedTokens: cached, cacheWriteTokens: written, completionTokens: u.completion_tokens })
    expect(row.costNanoUsd).toBe(cached * nanoPerToken.cached + written * nanoPerToken.write + u.completion_tokens * nanoPerToken.output)
  })
})

describe('service tiers', () => {
  // The Flex table of the saved OpenAI page, per 1M tokens: o3 $1 input, $0.25 cached, $4 output
  // (standard: $2, $0.50, $8); gpt-5-mini $0.125, $0.0125, $1. The Fast (Priority) table: gpt-4.1
  // $3.50, $0.875, $14.
  it.each([
    ['o3', 'flex', false, { input: 1000, cached: 250, output: 4000 }],
    ['gpt-5-mini', 'flex', true, { input: 125, cached: 12.5, output: 1000 }],
    ['gpt-4.1', 'priority', false, { input: 3500, cached: 875, output: 14_000 }],
  ] as const)('bills %s asked for service_tier %s (streamed: %s) at that tier, as the answer says it served', async (model, tier, stream, nanoPerToken) => {
    const params = { model, messages: [{ role: 'user' as const, content: '[cached] a request that can wait' }], service_tier: tier }
    let u: OpenAI.CompletionUsage
    let requestId: string | null
    if (stream) {
      const res = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }).withResponse()
      const chunks: OpenAI.Chat.ChatCompletionChunk[] = []
      for await (const c of res.data) chunks.push(c)
      expect(chunks.at(-1)!.service_tier).toBe(tier)
      u = chunks.at(-1)!.usage!
      requestId = res.response.headers.get('x-request-id')
    }
    else {
      const res = await client.chat.completions.create(params).withResponse()
      expect(res.data.service_tier).toBe(tier)
      u = res.data.usage!
      requestId = res.response.headers.get('x-request-id')
    }
    expect(openaiFake.requests.at(-1)!.body.service_tier).toBe(tier)
    const cached = u.prompt_tokens_details!.cached_tokens!
    const uncached = u.prompt_tokens - cached
    const row = await rowOf(requestId)
    expect(row.serviceTier).toBe(tier)
    // gpt-5-mini's Flex cached price is 12.5 nano-dollars a token: the request's total is rounded once, half up.
    expect(row.costNanoUsd).toBe(Math.round(uncached * nanoPerToken.input + cached * nanoPerToken.cached + u.completion_tokens * nanoPerToken.output))
    // The breakdown is the hand computation's lines, priced by the registry version in force.
    expect(row.costLines).toEqual([
      ...uncached ? [{ class: 'input', tokens: uncached, usdPerMillion: nanoPerToken.input / 1000 }] : [],
      { class: 'cachedInput', tokens: cached, usdPerMillion: nanoPerToken.cached / 1000 },
      { class: 'output', tokens: u.completion_tokens, usdPerMillion: nanoPerToken.output / 1000 },
    ])
    expect(row.registryVersion).toBe((await gw.admin('GET', '/api/admin/models')).body.version)
  })

  it('bills a request that asked for no tier, served as "default", at standard', async () => {
    const res = await client.chat.completions.create({ model: 'o3', messages: [{ role: 'user', content: 'no tier' }] }).withResponse()
    expect(res.data.service_tier).toBe('default')
    const u = res.data.usage!
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row.serviceTier).toBeNull()
    expect(row.costNanoUsd).toBe(u.prompt_tokens * 2000 + u.completion_tokens * 8000)
  })

  it('bills a Responses API request at Flex', async () => {
    const res = await client.responses.create({ model: 'o3', input: 'a batch of work', service_tier: 'flex' }).withResponse()
    expect(res.data.service_tier).toBe('flex')
    const u = res.data.usage!
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row).toMatchObject({ endpoint: 'responses', serviceTier: 'flex' })
    expect(row.costNanoUsd).toBe(u.input_tokens * 1000 + u.output_tokens * 4000)
  })
})

describe('modalities', () => {
  // Gemini 2.5 Flash on the saved page, per 1M tokens: input $0.30 (text / image / video), $1.00
  // (audio); output $2.50.
  it('bills Gemini audio input at the audio price, text at the text price', async () => {
    const audio = Buffer.alloc(32_000).toString('base64')
    const res = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is said here' }, { type: 'input_audio', input_audio: { data: audio, format: 'wav' } }] }],
    }).withResponse()
    const sent = geminiFake.requests.at(-1)!.body.contents[0].parts
    expect(sent[1].inlineData.mimeType).toBe('audio/wav')
    // The fake counts 32 000 bytes as two seconds: 64 audio tokens.
    const audioTokens = 64
    const u = res.data.usage!
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row.costLines).toEqual([
      { class: 'input', tokens: u.prompt_tokens - audioTokens, usdPerMillion: 0.3 },
      { class: 'audioInput', tokens: audioTokens, usdPerMillion: 1 },
      { class: 'output', tokens: u.completion_tokens, usdPerMillion: 2.5 },
    ])
    expect(row.costNanoUsd).toBe((u.prompt_tokens - audioTokens) * 300 + audioTokens * 1000 + u.completion_tokens * 2500)
  })
})

describe('data residency', () => {
  // Claude Opus 4.8 on the saved page, per 1M tokens: $5 input, $0.50 cache hits, $25 output;
  // `inference_geo: "us"` multiplies every token price by 1.1 for Claude 4.6 and later: $5.50,
  // $0.55, $27.50.
  it('bills an inference_geo "us" Claude request at 1.1× every token price, as the answer says it ran', async () => {
    const params = { model: 'claude-opus-4-8', max_tokens: 100, messages: [{ role: 'user' as const, content: '[cached] keep it in the US' }] }
    const res = await anthropic.messages.create({ ...params, inference_geo: 'us' }).withResponse()
    expect(res.data.usage.inference_geo).toBe('us')
    const u = res.data.usage
    const cached = u.cache_read_input_tokens!
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row.costLines).toEqual([
      { class: 'input', tokens: u.input_tokens, usdPerMillion: 5.5, multiplier: 1.1 },
      { class: 'cachedInput', tokens: cached, usdPerMillion: 0.55, multiplier: 1.1 },
      { class: 'output', tokens: u.output_tokens, usdPerMillion: 27.5, multiplier: 1.1 },
    ])
    expect(row.costNanoUsd).toBe(u.input_tokens * 5500 + cached * 550 + u.output_tokens * 27_500)
    // The same request routed globally bills the page's prices.
    const global = await anthropic.messages.create(params).withResponse()
    const g = global.data.usage
    expect((await rowOf(global.response.headers.get('x-request-id'))).costNanoUsd).toBe(g.input_tokens * 5000 + cached * 500 + g.output_tokens * 25_000)
  })
})

describe('snapshot ids', () => {
  // gpt-4.1 on the saved page: $2 input, $0.50 cached input, $8 output per 1M (standard, not the
  // fine-tuning table that names gpt-4.1-2025-04-14); gpt-5-mini: $0.25, $0.025, $2.
  it.each([
    ['gpt-4.1-2025-04-14', 'gpt-4.1', { input: 2000, cached: 500, output: 8000 }],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini', { input: 250, cached: 25, output: 2000 }],
  ])('bills %s as %s, sends it upstream and logs it as the client named it', async (snapshot, family, nanoPerToken) => {
    const res = await client.chat.completions.create({ model: snapshot, messages: [{ role: 'user', content: '[cached] pinned' }] }).withResponse()
    expect(res.data.model).toBe(snapshot)
    expect(openaiFake.requests.at(-1)!.body.model).toBe(snapshot)
    const u = res.data.usage!
    const cached = u.prompt_tokens_details!.cached_tokens!
    const row = await rowOf(res.response.headers.get('x-request-id'))
    expect(row).toMatchObject({ model: family, requestedModel: snapshot, status: 200 })
    expect(row.costNanoUsd).toBe((u.prompt_tokens - cached) * nanoPerToken.input + cached * nanoPerToken.cached + u.completion_tokens * nanoPerToken.output)
  })

  it('refuses a snapshot of a family the registry does not know', async () => {
    await expect(client.chat.completions.create({ model: 'gpt-9-2031-01-01', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 404, code: 'model_not_found' })
  })
})

// libfaketime moves the whole gateway process's clock; the production code reads Date.now() as always.
const FAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1'
const noFaketime = !existsSync(FAKETIME)
if (noFaketime) console.warn(`[costs] dated-price tests skipped: ${FAKETIME} is absent (apt-get install faketime)`)

describe.skipIf(noFaketime)('dated prices, on the gateway\'s own clock', () => {
  // Gemini 3.6 Flash on the saved page: input $0.75 through December 31, 2026, $1.50 starting
  // January 1, 2027; output $3.75, then $7.50 (per 1M tokens, UTC dates).
  it.each([
    ['2026-12-31 23:59:00', '2026-12-31', { input: 750, output: 3750 }],
    ['2027-01-01 00:00:05', '2027-01-01', { input: 1500, output: 7500 }],
  ])('bills gemini-3.6-flash at %s UTC at the price of that day', async (clock, day, nanoPerToken) => {
    const dated = await startGateway({ GEMINI_API_KEY: geminiFake.apiKey, GEMINI_BASE_URL: geminiFake.url, LD_PRELOAD: FAKETIME, FAKETIME: `@${clock}`, TZ: 'UTC' })
    try {
      const key = (await dated.admin('POST', '/api/admin/keys', { name: 'dated' })).body.key
      const gemini = new OpenAI({ apiKey: key, baseURL: `${dated.url}/v1`, maxRetries: 0 })
      const res = await gemini.chat.completions.create({ model: 'gemini-3.6-flash', messages: [{ role: 'user', content: 'what is the price today' }] }).withResponse()
      const u = res.data.usage!
      expect(u.prompt_tokens_details?.cached_tokens ?? 0).toBe(0)
      const row = (await dated.admin('GET', '/api/admin/requests?limit=5')).body.data.find((r: any) => r.id === res.response.headers.get('x-request-id'))
      expect(row.createdAt.slice(0, 10)).toBe(day)
      expect(row.costNanoUsd).toBe(u.prompt_tokens * nanoPerToken.input + u.completion_tokens * nanoPerToken.output)
      // The shipped seed carries the change: no scrape ran.
      expect((await dated.admin('GET', '/api/admin/models')).body.models.find((m: any) => m.id === 'gemini-3.6-flash').source).toBe('seed')
    }
    finally {
      await dated.stop()
      removeDir(dated.dataDir)
    }
  })
})

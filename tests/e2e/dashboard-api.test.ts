// The admin endpoints the dashboard added, against the built server and a fake OpenAI upstream:
// usage series and latency percentiles, the request log's status and time filters, and the
// provider connection test.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

let fake: FakeOpenAI
let gw: GatewayProcess
let startedAt: number

const today = () => new Date().toISOString().slice(0, 10)
const requests = async (query: string) => (await gw.admin('GET', `/api/admin/requests?limit=100&${query}`)).body

beforeAll(async () => {
  fake = await startFakeOpenAI()
  gw = await startGateway({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url, RATE_LIMIT_PER_MINUTE: '100000', REGISTRY_CRON: 'off' })
  startedAt = Date.now()
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'stats' })).body
  const client = new OpenAI({ apiKey: key.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
  const messages = [{ role: 'user' as const, content: 'count these words please' }]
  for (let i = 0; i < 4; i++) await client.chat.completions.create({ model: 'gpt-4o-mini', messages })
  await client.embeddings.create({ model: 'text-embedding-3-small', input: 'one two three' })
  await expect(client.chat.completions.create({ model: 'no-such-model', messages })).rejects.toMatchObject({ status: 404 })
})

afterAll(async () => {
  await gw?.stop()
  await fake?.close()
  if (gw) removeDir(gw.dataDir)
})

describe('GET /api/admin/stats/series', () => {
  it('gives one value per UTC day for each provider or model, matching the usage totals', async () => {
    const from = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10)
    const { status, body } = await gw.admin('GET', `/api/admin/stats/series?from=${from}&to=${today()}&by=model`)
    expect(status).toBe(200)
    expect(body.days).toHaveLength(7)
    expect(body.days.at(-1)).toBe(today())
    const byName = Object.fromEntries(body.series.map((s: { name: string }) => [s.name, s]))
    expect(byName['gpt-4o-mini'].requests.at(-1)).toBe(4)
    expect(byName['text-embedding-3-small'].requests.at(-1)).toBe(1)
    expect(byName['gpt-4o-mini'].requests.slice(0, -1)).toEqual([0, 0, 0, 0, 0, 0])

    const providers = (await gw.admin('GET', `/api/admin/stats/series?from=${from}&to=${today()}`)).body
    const usage = (await gw.admin('GET', `/api/admin/usage?from=${from}&to=${today()}&groupBy=provider`)).body
    const openai = providers.series.find((s: { name: string }) => s.name === 'openai')
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0)
    const usageOpenai = usage.data.find((r: { provider: string }) => r.provider === 'openai')
    expect(sum(openai.requests)).toBe(usageOpenai.requests)
    expect(sum(openai.costUsd)).toBeCloseTo(usageOpenai.costUsd, 12)
    // The refused request (unknown model) counts as an error of no provider.
    expect(sum(providers.series.flatMap((s: { errors: number[] }) => s.errors))).toBe(1)
  })

  it('refuses a malformed range', async () => {
    expect((await gw.admin('GET', '/api/admin/stats/series?from=yesterday')).status).toBe(400)
    expect((await gw.admin('GET', `/api/admin/stats/series?from=${today()}&to=2000-01-01`)).status).toBe(400)
    expect((await gw.admin('GET', '/api/admin/stats/series?by=key')).status).toBe(400)
  })
})

describe('GET /api/admin/stats/latency', () => {
  it('gives nearest-rank percentiles of the successful requests', async () => {
    const { body } = await gw.admin('GET', `/api/admin/stats/latency?from=${today()}&to=${today()}`)
    const ok = (await requests('status=ok')).data.map((r: { latencyMs: number }) => r.latencyMs).sort((a: number, b: number) => a - b)
    expect(body.count).toBe(5)
    const rank = (p: number) => ok[Math.ceil((p / 100) * ok.length) - 1]
    expect(body).toMatchObject({ p50: rank(50), p95: rank(95), p99: rank(99) })
    const empty = (await gw.admin('GET', '/api/admin/stats/latency?from=2001-01-01&to=2001-01-31')).body
    expect(empty).toMatchObject({ count: 0, p50: null, p95: null, p99: null })
  })
})

describe('GET /api/admin/requests filters', () => {
  it('filters by outcome and HTTP status', async () => {
    expect((await requests('')).data).toHaveLength(6)
    expect((await requests('status=ok')).data).toHaveLength(5)
    const errors = (await requests('status=error')).data
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ status: 404, model: null })
    expect((await requests('status=404')).data).toHaveLength(1)
    expect((await requests('status=200&model=text-embedding-3-small')).data).toHaveLength(1)
    expect((await gw.admin('GET', '/api/admin/requests?status=teapot')).status).toBe(400)
  })

  it('filters by time (epoch ms or ISO 8601) and keeps paginating within the filter', async () => {
    expect((await requests(`from=${startedAt}`)).data).toHaveLength(6)
    expect((await requests(`to=${startedAt}`)).data).toHaveLength(0)
    expect((await requests(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data).toHaveLength(0)
    const first = (await gw.admin('GET', '/api/admin/requests?limit=2&status=ok')).body
    expect(first.data).toHaveLength(2)
    const rest = (await gw.admin('GET', `/api/admin/requests?limit=10&status=ok&cursor=${first.nextCursor}`)).body
    expect(rest.data).toHaveLength(3)
    expect(rest.nextCursor).toBeNull()
  })
})

describe('POST /api/admin/providers/:provider/test', () => {
  it('calls the provider\'s model list with the credential and reports status and latency, never the key', async () => {
    const before = fake.requests.length
    const res = await gw.admin('POST', '/api/admin/providers/openai/test')
    expect(res.status).toBe(200)
    // The fake has no model list: the provider's own answer (404) is what the test reports.
    expect(res.body).toMatchObject({ provider: 'openai', ok: false, status: 404 })
    expect(res.body.latencyMs).toBeGreaterThanOrEqual(0)
    expect(JSON.stringify(res.body)).not.toContain(fake.apiKey)
    const probe = fake.requests[before]!
    expect(probe).toMatchObject({ method: 'GET', path: '/v1/models' })
    expect(probe.headers.authorization).toBe(`Bearer ${fake.apiKey}`)
  })

  it('says when a provider has no credential, or does not exist', async () => {
    expect((await gw.admin('POST', '/api/admin/providers/anthropic/test')).body.error.code).toBe('provider_not_configured')
    expect((await gw.admin('POST', '/api/admin/providers/nope/test')).status).toBe(404)
  })

  it('reports a wrong credential as rejected', async () => {
    await gw.admin('PUT', '/api/admin/providers/openai', { apiKey: 'sk-wrong-key-for-the-fake-0000', baseUrl: fake.url })
    const res = await gw.admin('POST', '/api/admin/providers/openai/test')
    expect(res.body).toMatchObject({ ok: false, status: 401 })
    expect(res.body.message).toMatch(/rejected the credential/)
    expect(JSON.stringify(res.body)).not.toContain('sk-wrong-key')
    await gw.admin('DELETE', '/api/admin/providers/openai')
  })
})

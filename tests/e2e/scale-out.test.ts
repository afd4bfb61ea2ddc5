// Two gateway instances on one PostgreSQL database and one Redis behave as one: keys, revocation,
// the request log, the registry, the per-IP limit, scheduled tasks, stored responses and
// conversations are shared.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeAnthropic, startFakeAnthropic } from '../helpers/fake-anthropic'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type FakeCompatible, startFakeCompatible } from '../helpers/fake-openai-compatible'
import { type FakePricingSite, startFakePricingSite } from '../helpers/fake-pricing'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'
import { createTestDatabase, REDIS_URL, servicesAvailable, type TestDatabase, testRedisPrefix } from '../helpers/services'

const missing = await servicesAvailable()
if (missing) console.warn(`[scale-out] skipped: ${missing}`)

describe.skipIf(Boolean(missing))('two instances on PostgreSQL and Redis', () => {
  let fake: FakeOpenAI
  let claude: FakeAnthropic
  let vllm: FakeCompatible
  let site: FakePricingSite
  let db: TestDatabase
  let redis: ReturnType<typeof testRedisPrefix>
  let a: GatewayProcess
  let b: GatewayProcess
  let started = 0

  const env = () => ({
    DATABASE_URL: db.url,
    REDIS_URL,
    REDIS_PREFIX: redis.prefix,
    ADMIN_API_KEY: 'sk-admin-shared-by-both-instances-0123456789',
    ENCRYPTION_KEY: 'encryption-key-shared-by-both-instances-0123456789',
    SECRET_KEY: 'secret-key-shared-by-both-instances-0123456789ab',
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: claude.apiKey,
    ANTHROPIC_BASE_URL: claude.url,
    REGISTRY_CRON: '*/2 * * * * *',
    REGISTRY_OPENAI_URL: `${site.url}/openai.md`,
    REGISTRY_ANTHROPIC_URL: `${site.url}/anthropic.md`,
    REGISTRY_GOOGLE_URL: `${site.url}/google.md.txt`,
  })
  /** The request log is written in batches per instance: rows from the other instance arrive within a flush. */
  async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    const t0 = Date.now()
    let v = await read()
    while (!ok(v) && Date.now() - t0 < 2000) {
      await new Promise(r => setTimeout(r, 50))
      v = await read()
    }
    return v
  }
  const client = (gw: GatewayProcess, key: string) => new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
  const ask = (gw: GatewayProcess, key: string, content = 'hello both') => client(gw, key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] })

  beforeAll(async () => {
    ;[fake, claude, site, db, vllm] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakePricingSite(), createTestDatabase(), startFakeCompatible({ behaviour: 'strict', apiKey: 'sk-vllm-scale-out-0123456789' })])
    redis = testRedisPrefix()
    // Both start together: the migrations' advisory lock lets only one of them migrate.
    started = Date.now()
    ;[a, b] = await Promise.all([startGateway(env()), startGateway(env())])
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    for (const gw of [a, b]) if (gw) removeDir(gw.dataDir)
    await Promise.all([fake?.close(), claude?.close(), vllm?.close(), site?.close(), db?.drop(), redis?.cleanup()])
  })

  it('accepts on one instance a key issued on the other, and keeps one request log', async () => {
    const key = (await a.admin('POST', '/api/admin/keys', { name: 'shared' })).body
    await ask(b, key.key, 'via b')
    await ask(a, key.key, 'via a')
    const fromA = await eventually(async () => (await a.admin('GET', `/api/admin/requests?keyId=${key.id}`)).body.data, d => d.length === 2)
    const fromB = (await b.admin('GET', `/api/admin/requests?keyId=${key.id}`)).body.data
    expect(fromA).toHaveLength(2)
    expect(fromB.map((r: any) => r.id).sort()).toEqual(fromA.map((r: any) => r.id).sort())
    const usage = (await b.admin('GET', '/api/admin/usage?groupBy=key')).body.data.find((r: any) => r.key === key.id)
    expect(usage.requests).toBe(2)
  })

  it('continues a stored response on the other instance the moment it is answered, across providers', async () => {
    const key = (await a.admin('POST', '/api/admin/keys', { name: 'responses' })).body.key
    const tools = [{ type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }]
    const first = await client(a, key).responses.create({ model: 'claude-haiku-4-5', input: 'what is the weather in Paris', tools })
    const call = first.output.find(o => o.type === 'function_call')!
    const second = await client(b, key).responses.create({ model: 'claude-haiku-4-5', previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }], tools })
    expect(second.output_text).toContain('sunny')
    const third = await client(a, key).responses.create({ model: 'gpt-4o-mini', previous_response_id: second.id, input: 'thanks both', tools })
    expect(third.output_text).toBe('echo: both thanks')
    expect(JSON.stringify(fake.requests.at(-1)!.body.input)).toContain('sunny')
    const fourth = await client(b, key).responses.create({ model: 'gpt-4o-mini', previous_response_id: third.id, input: 'once more' })
    expect(fake.requests.at(-1)!.body).toMatchObject({ previous_response_id: third.id, input: 'once more' })
    expect((await client(a, key).responses.retrieve(fourth.id)).output).toEqual(fourth.output)
  })

  it('continues a conversation on the other instance the moment a turn is answered, across providers', async () => {
    const key = (await a.admin('POST', '/api/admin/keys', { name: 'conversations' })).body.key
    const conv = await client(b, key).conversations.create({ items: [{ type: 'message', role: 'user', content: 'remember the word zebra' }] })
    const first = await client(a, key).responses.create({ model: 'claude-haiku-4-5', conversation: conv.id, input: 'first turn here' })
    expect(first.conversation).toEqual({ id: conv.id })
    expect(JSON.stringify(claude.requests.at(-1)!.body.messages)).toContain('remember the word zebra')
    const second = await client(b, key).responses.create({ model: 'gpt-4o-mini', conversation: conv.id, input: 'second turn now' })
    expect(second.output_text).toBe('echo: now turn second')
    const sent = fake.requests.at(-1)!.body
    expect(sent.conversation).toBeUndefined()
    expect(JSON.stringify(sent.input)).toContain('zebra')
    expect(JSON.stringify(sent.input)).toContain(first.output_text)
    const items = (await client(a, key).conversations.items.list(conv.id, { order: 'asc' })).data
    expect(items.map(i => i.id)).toEqual([expect.any(String), expect.any(String), ...first.output.map(o => o.id), expect.any(String), ...second.output.map(o => o.id)])
    const stranger = (await b.admin('POST', '/api/admin/keys', { name: 'stranger' })).body.key
    await expect(client(a, stranger).conversations.retrieve(conv.id)).rejects.toMatchObject({ status: 404 })
  })

  it('polls on one instance a background response the other runs, and a cancel made there stops its upstream call', async () => {
    const key = (await a.admin('POST', '/api/admin/keys', { name: 'background' })).body.key
    const done = await client(a, key).responses.create({ model: 'gpt-4o-mini', input: '[slow:200] finish on a', background: true })
    let polled = await client(b, key).responses.retrieve(done.id)
    expect(['queued', 'in_progress']).toContain(polled.status)
    while (polled.status !== 'completed') polled = await client(b, key).responses.retrieve(done.id)
    expect(polled.output_text).toBe('echo: a on finish [slow:200]')

    const aborted = fake.abortedStreams
    const long = await client(a, key).responses.create({ model: 'gpt-4o-mini', input: '[slow:30000] cancel from b', background: true })
    while (!fake.requests.some(r => JSON.stringify(r.body?.input ?? '').includes('cancel from b'))) await new Promise(r => setTimeout(r, 25))
    expect(await client(b, key).responses.cancel(long.id)).toMatchObject({ status: 'cancelled' })
    // Told through Redis, instance a aborts the call it holds.
    await eventually(async () => fake.abortedStreams, n => n > aborted)
    expect(fake.abortedStreams).toBe(aborted + 1)
    expect((await client(a, key).responses.retrieve(long.id)).status).toBe('cancelled')
  })

  it('refuses a key everywhere within 2 s of its revocation on one instance', async () => {
    const key = (await a.admin('POST', '/api/admin/keys', { name: 'to-revoke' })).body
    await ask(b, key.key)
    expect((await a.admin('DELETE', `/api/admin/keys/${key.id}`)).status).toBe(200)
    const t0 = Date.now()
    let code: string | undefined
    while (Date.now() - t0 < 2000) {
      code = await ask(b, key.key).then(() => undefined, e => e.code)
      if (code) break
      await new Promise(r => setTimeout(r, 50))
    }
    expect(code).toBe('revoked_api_key')
  })

  it('shows a registry change made on one instance on the other, and prices with it there', async () => {
    expect((await a.admin('PATCH', '/api/admin/models/gpt-4o-mini', { pricing: { input: 3, output: 7 } })).status).toBe(200)
    const t0 = Date.now()
    let pricing: any
    while (Date.now() - t0 < 2000) {
      pricing = (await b.admin('GET', '/api/admin/models')).body.models.find((m: any) => m.id === 'gpt-4o-mini').pricing
      if (pricing.input === 3) break
      await new Promise(r => setTimeout(r, 50))
    }
    expect(pricing).toEqual({ input: 3, output: 7 })
    const key = (await a.admin('POST', '/api/admin/keys', { name: 'pricing' })).body
    const res = await ask(b, key.key, 'priced on b')
    const [row] = await eventually(async () => (await a.admin('GET', `/api/admin/requests?keyId=${key.id}`)).body.data, d => d.length === 1)
    expect(row.costUsd).toBeCloseTo((res.usage!.prompt_tokens * 3 + res.usage!.completion_tokens * 7) / 1e6, 15)
  })

  it('serves a connection added on one instance from the other, and forgets it there once deleted', async () => {
    const key = (await a.admin('POST', '/api/admin/keys', { name: 'connections' })).body.key
    expect((await a.admin('PUT', '/api/admin/providers/vllm', { type: 'openai-compatible', baseUrl: vllm.url, apiKey: vllm.apiKey })).status).toBe(200)
    expect((await a.admin('POST', '/api/admin/providers/vllm/discover')).body.added).toEqual(['vllm/llama3.3', 'vllm/qwen3:8b'])
    expect((await a.admin('PUT', '/api/admin/models/vllm/llama3.3', { pricing: { input: 0.5, output: 1.5 } })).status).toBe(200)
    const onB = () => client(b, key).chat.completions.create({ model: 'vllm/llama3.3', messages: [{ role: 'user', content: 'via b' }] })
    const res = await eventually(() => onB().catch(e => e), r => !(r instanceof Error))
    expect(res.choices[0].message.content).toBe('echo: b via')
    expect(vllm.requests.at(-1)!.headers.authorization).toBe(`Bearer ${vllm.apiKey}`)
    // Its key is stored once, sealed, for both.
    expect((await b.admin('GET', '/api/admin/providers')).body.data.find((p: any) => p.provider === 'vllm')).toMatchObject({ type: 'openai-compatible', keyHint: '6789' })
    expect((await a.admin('DELETE', '/api/admin/providers/vllm')).status).toBe(200)
    const gone = await eventually(() => onB().catch(e => e), r => r instanceof Error)
    expect(gone).toMatchObject({ status: 404, code: 'model_not_found' })
  })

  it('runs a scheduled task once per schedule across instances', async () => {
    // Every 2 s, both instances fire; each slot is claimed by one. Hits on the OpenAI page = runs.
    await new Promise(r => setTimeout(r, Math.max(0, 7000 - (Date.now() - started))))
    const elapsed = Date.now() - started
    const hits = site.hits.filter(h => h === '/openai.md').length
    expect(hits).toBeGreaterThanOrEqual(1)
    expect(hits).toBeLessThanOrEqual(Math.floor(elapsed / 2000) + 1)
  })

  it('shares a key\'s budget: concurrent requests on both instances overspend by at most one', async () => {
    const messages = [{ role: 'user' as const, content: 'a request with a known cost' }]
    const probeKey = (await a.admin('POST', '/api/admin/keys', { name: 'probe' })).body
    const probe = await client(a, probeKey.key).chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 20 })
    const price = (await a.admin('GET', '/api/admin/models')).body.models.find((m: any) => m.id === 'gpt-4o-mini').pricing
    const oneCost = (probe.usage!.prompt_tokens * price.input + probe.usage!.completion_tokens * price.output) / 1e6
    const budget = oneCost * 3.5
    const key = (await a.admin('POST', '/api/admin/keys', { name: 'budget', budgetUsd: budget })).body
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      client(i % 2 ? b : a, key.key).chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 20 }).then(() => 'ok', e => e.code)))
    const ok = outcomes.filter(o => o === 'ok').length
    expect(ok).toBeGreaterThanOrEqual(1)
    expect(ok * oneCost).toBeLessThanOrEqual(budget + oneCost)
    expect(outcomes.filter(o => o !== 'ok').every(o => o === 'budget_exceeded')).toBe(true)
    const spent = await eventually(async () => (await b.admin('GET', `/api/admin/keys/${key.id}`)).body.spentUsd, v => Math.abs(v - ok * oneCost) < 1e-12)
    expect(spent).toBeCloseTo(ok * oneCost, 12)
  })

  it('throttles failed sign-ins for an email across both instances', async () => {
    const attempt = (gw: GatewayProcess) => fetch(`${gw.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'gateway-dashboard' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' }),
    }).then(r => r.status)
    // Stay inside one 15-minute window.
    const left = 900_000 - (Date.now() % 900_000)
    if (left < 10_000) await new Promise(r => setTimeout(r, left + 500))
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) statuses.push(await attempt(i % 2 ? b : a))
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.slice(10)).toEqual([429, 429])
  })

  it('creates no SQLite database', () => {
    for (const gw of [a, b]) {
      expect(existsSync(join(gw.dataDir, 'gateway.db'))).toBe(false)
      expect(readdirSync(gw.dataDir).filter(f => f.includes('.db'))).toEqual([])
    }
  })
})

describe.skipIf(Boolean(missing))('the per-IP limit across instances', () => {
  it('counts one address\'s requests on both instances together', async () => {
    const db = await createTestDatabase()
    const redis = testRedisPrefix()
    const fake = await startFakeOpenAI()
    const shared = {
      DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: redis.prefix, RATE_LIMIT_PER_MINUTE: '20', OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url,
      ADMIN_API_KEY: 'sk-admin-shared-by-both-instances-0123456789', ENCRYPTION_KEY: 'e'.repeat(40), SECRET_KEY: 's'.repeat(40),
    }
    const [a, b] = await Promise.all([startGateway(shared), startGateway(shared)])
    try {
      // Stay inside one minute window.
      const second = new Date().getUTCSeconds()
      if (second > 45) await new Promise(r => setTimeout(r, (61 - second) * 1000))
      const key = (await a.admin('POST', '/api/admin/keys', { name: 'ip' })).body
      const statuses: number[] = []
      for (let i = 0; i < 24; i++) {
        const gw = i % 2 ? b : a
        statuses.push((await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key.key}` } })).status)
      }
      // One /api request (the key) and 19 /v1 requests fit in the shared 20.
      expect(statuses.filter(s => s === 200)).toHaveLength(19)
      expect(statuses.slice(19).every(s => s === 429)).toBe(true)
    }
    finally {
      await Promise.all([a.stop(), b.stop()])
      removeDir(a.dataDir)
      removeDir(b.dataDir)
      await Promise.all([fake.close(), db.drop(), redis.cleanup()])
    }
  })
})

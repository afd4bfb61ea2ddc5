// Budgets that cannot be overspent, on one instance (SQLite) and on two sharing PostgreSQL and Redis:
// each call reserves the most it can cost (the completion cap it is sent, times n) and is admitted
// only when that fits in what is left; concurrent first uses of a key after a restart share its
// spend; and a client that hangs up while the provider works is billed its prompt. The bounds are
// computed here from the registry's prices; the strict fakes count a word as a token.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeAnthropic } from '../helpers/fake-anthropic'
import type { FakeGemini } from '../helpers/fake-gemini'
import type { FakeOpenAI } from '../helpers/fake-openai'
import { type FakeProviders, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'
import { createTestDatabase, REDIS_URL, servicesAvailable, type TestDatabase, testRedisPrefix } from '../helpers/services'

const CLAUDE = 'claude-haiku-4-5'
const GPT = 'gpt-4o-mini'
const GEMINI = 'gemini-2.5-flash'
/** BUDGET_DEFAULT_MAX_TOKENS of these gateways. */
const DEFAULT_CAP = 1000
/** Enough for the gateway's rows to appear: the first cut-short request loads the tokenizer. */
const ROW_DEADLINE_MS = 10_000

const missing = await servicesAvailable()
if (missing) console.warn(`[budgets] PostgreSQL + Redis cases skipped: ${missing}`)

let fakes: FakeProviders
let openai: FakeOpenAI
let anthropic: FakeAnthropic
let gemini: FakeGemini

beforeAll(async () => {
  fakes = await startFakeProviders()
  ;({ openai, anthropic, gemini } = fakes)
})
afterAll(async () => {
  await fakes?.close()
})

const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ')
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', e => `${e.status} ${e.code}`)
const sentWith = (requests: { body: any }[], marker: string) => requests.filter(r => JSON.stringify(r.body ?? '').includes(marker))

async function until<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, deadlineMs: number): Promise<T> {
  const t0 = Date.now()
  let v = await read()
  while (!ok(v) && Date.now() - t0 < deadlineMs) {
    await new Promise(r => setTimeout(r, 20))
    v = await read()
  }
  return v
}

const deployments = [
  { name: 'one instance on SQLite', shared: false },
  { name: 'two instances on PostgreSQL and Redis', shared: true },
].filter(d => !d.shared || !missing)

describe.each(deployments)('budgets, $name', ({ shared }) => {
  let gateways: GatewayProcess[] = []
  let db: TestDatabase | undefined
  let prefix: ReturnType<typeof testRedisPrefix> | undefined
  let models: Map<string, any>

  beforeAll(async () => {
    const env: Record<string, string> = { ...fakes.env, BUDGET_DEFAULT_MAX_TOKENS: String(DEFAULT_CAP) }
    if (!shared) {
      gateways = [await startGateway(env)]
    }
    else {
      db = await createTestDatabase()
      prefix = testRedisPrefix()
      Object.assign(env, {
        DATABASE_URL: db.url,
        REDIS_URL,
        REDIS_PREFIX: prefix.prefix,
        ADMIN_API_KEY: 'sk-admin-shared-by-both-instances-0123456789',
        ENCRYPTION_KEY: 'encryption-key-shared-by-both-instances-0123456789',
        SECRET_KEY: 'secret-key-shared-by-both-instances-0123456789ab',
      })
      gateways = await Promise.all([startGateway(env), startGateway(env)])
    }
    models = new Map((await gateways[0]!.admin('GET', '/api/admin/models')).body.models.map((m: any) => [m.id, m]))
  })

  afterAll(async () => {
    await Promise.all(gateways.map(g => g.stop()))
    for (const g of gateways) removeDir(g.dataDir)
    await Promise.all([db?.drop(), prefix?.cleanup()])
  })

  /** Requests alternate between the instances. */
  const gw = (i: number) => gateways[i % gateways.length]!
  const client = (i: number, key: string) => new OpenAI({ apiKey: key, baseURL: `${gw(i).url}/v1`, maxRetries: 0 })
  const newKey = async (budgetUsd: number | null) => (await gateways[0]!.admin('POST', '/api/admin/keys', { name: 'budget', budgetUsd })).body
  /** The key's spend in the database once every instance has written its request log. */
  async function spentOf(id: string): Promise<number> {
    let spent = Number.NaN
    for (const g of gateways) spent = (await g.admin('GET', `/api/admin/keys/${id}`)).body.spentUsd
    return spent
  }
  /** The most a request can cost, from the registry: its body at 3 characters a token, `choices` completions at `cap`. */
  function estimate(body: { model: string, [field: string]: unknown }, cap: number, choices = 1): number {
    const p = models.get(body.model).pricing
    const promptTokens = Math.ceil(JSON.stringify(body).length / 3)
    return (promptTokens * Math.max(p.input, p.cacheWrite ?? 0) + cap * choices * p.output) / 1e6
  }

  it('keeps 20 concurrent Claude calls without max_tokens within the budget, each sent the max_tokens it reserved for', async () => {
    const marker = `claude-burst-${Date.now()}`
    // 3000 words: an echo far longer than the cap, so each answer is as long as its cap allows.
    const messages = [{ role: 'user' as const, content: `${marker} ${words(3000)}` }]
    const cap = Math.min(DEFAULT_CAP, models.get(CLAUDE).maxOutputTokens)
    const one = estimate({ model: CLAUDE, messages }, cap)
    const budget = one * 2.5
    const key = await newKey(budget)
    anthropic.delayMs = 200
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => outcome(client(i, key.key).chat.completions.create({ model: CLAUDE, messages }))))
      .finally(() => { anthropic.delayMs = 0 })
    const ok = outcomes.filter(o => o === 'ok').length
    expect(ok).toBeGreaterThanOrEqual(1)
    expect(outcomes.filter(o => o !== 'ok')).toEqual(Array(20 - ok).fill('429 budget_exceeded'))
    const sent = sentWith(anthropic.requests, marker)
    expect(sent).toHaveLength(ok)
    expect(sent.map(r => r.body.max_tokens)).toEqual(Array(ok).fill(cap))
    const spent = await spentOf(key.id)
    expect(spent).toBeGreaterThan(0)
    expect(spent).toBeLessThanOrEqual(budget)
  })

  it('refuses a request whose own estimate exceeds what is left (n: 128 on OpenAI, 8 Gemini candidates), caps one that fits', async () => {
    const key = await newKey(0.01)
    const marker = `many-choices-${Date.now()}`
    const messages = [{ role: 'user' as const, content: `${marker} pick one` }]
    for (const [model, n] of [[GPT, 128], [GEMINI, 8]] as const) {
      expect(estimate({ model, messages }, DEFAULT_CAP, n)).toBeGreaterThan(0.01)
      const err = await client(0, key.key).chat.completions.create({ model, messages, n }).catch(e => e)
      expect(err).toBeInstanceOf(OpenAI.RateLimitError)
      expect(err.code).toBe('budget_exceeded')
      expect(err.message).toMatch(/could cost up to \$[\d.]+, more than the \$0\.01 left/)
    }
    expect(sentWith(openai.requests, marker)).toHaveLength(0)
    expect(sentWith(gemini.requests, marker)).toHaveLength(0)
    // One choice fits, and goes out capped at what it reserved for.
    for (const model of [GPT, GEMINI]) {
      expect(estimate({ model, messages }, DEFAULT_CAP)).toBeLessThan(0.01)
      expect((await client(1, key.key).chat.completions.create({ model, messages, n: 1 })).choices).toHaveLength(1)
    }
    expect(sentWith(openai.requests, marker).map(r => r.body.max_completion_tokens)).toEqual([DEFAULT_CAP])
    expect(sentWith(gemini.requests, marker).map(r => r.body.generationConfig.maxOutputTokens)).toEqual([DEFAULT_CAP])
    // A key without a budget has nothing to protect: its requests go out without a cap of the gateway's.
    const free = await newKey(null)
    const freeMessages = [{ role: 'user' as const, content: `${marker}-free as it was` }]
    await client(0, free.key).chat.completions.create({ model: GPT, messages: freeMessages })
    await client(1, free.key).chat.completions.create({ model: GEMINI, messages: freeMessages })
    expect(sentWith(openai.requests, `${marker}-free`).map(r => r.body)).toEqual([{ model: GPT, messages: freeMessages }])
    expect(sentWith(gemini.requests, `${marker}-free`)[0]!.body.generationConfig).toBeUndefined()
  })

  it('keeps 20 concurrent n: 128 calls within the budget, sent as the client wrote them', async () => {
    const marker = `n128-burst-${Date.now()}`
    const messages = [{ role: 'user' as const, content: `${marker} ${words(60)}` }]
    const body = { model: GPT, messages, n: 128, max_tokens: 50 }
    const budget = 0.01
    expect(estimate(body, 50, 128)).toBeLessThan(budget)
    const key = await newKey(budget)
    openai.faults.delayMs = 200
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => outcome(client(i, key.key).chat.completions.create(body))))
      .finally(() => { openai.faults.delayMs = 0 })
    const ok = outcomes.filter(o => o === 'ok').length
    expect(ok).toBeGreaterThanOrEqual(1)
    expect(outcomes.filter(o => o !== 'ok')).toEqual(Array(20 - ok).fill('429 budget_exceeded'))
    const sent = sentWith(openai.requests, marker)
    expect(sent).toHaveLength(ok)
    for (const r of sent) expect(r.body).toEqual({ model: GPT, messages, n: 128, max_tokens: 50 })
    expect(await spentOf(key.id)).toBeLessThanOrEqual(budget)
  })

  it('keeps concurrent first uses of a key right after a restart within the budget', async () => {
    const body = { model: GPT, messages: [{ role: 'user' as const, content: 'spend after a restart' }], max_tokens: 20 }
    const budget = estimate(body, 20) * 4.5
    const key = await newKey(budget)
    await client(0, key.key).chat.completions.create(body)
    for (const g of gateways) await g.restart()
    openai.faults.delayMs = 100
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => outcome(client(i, key.key).chat.completions.create(body))))
      .finally(() => { openai.faults.delayMs = 0 })
    expect(burst.filter(o => o !== 'ok').every(o => o === '429 budget_exceeded')).toBe(true)
    let refused: string | undefined
    for (let i = 0; i < 30 && !refused; i++) {
      const o = await outcome(client(i, key.key).chat.completions.create(body))
      if (o !== 'ok') refused = o
    }
    expect(refused).toBe('429 budget_exceeded')
    expect(await spentOf(key.id)).toBeLessThanOrEqual(budget)
  })

  it.each([false, true])('bills a call whose client hangs up before the first byte (stream: %s) and frees its reservation', async (stream) => {
    const marker = `hang-up-${stream}-${Date.now()}`
    const aborted = { model: GPT, messages: [{ role: 'user' as const, content: `${marker} take your time with this one` }], max_tokens: 1000, stream }
    const next = { model: GPT, messages: [{ role: 'user' as const, content: 'and now a short one' }], max_tokens: 100 }
    const budget = estimate(aborted, 1000) * 1.05
    // The next request fits only once the first one's reservation has been settled.
    expect(estimate(aborted, 1000) + estimate(next, 100)).toBeGreaterThan(budget)
    const key = await newKey(budget)
    const controller = new AbortController()
    openai.faults.delayMs = 5000
    const asked = client(0, key.key).chat.completions.create(aborted, { signal: controller.signal }).catch(e => e)
    await until(() => sentWith(openai.requests, marker).length, n => n > 0, 5000).finally(() => { openai.faults.delayMs = 0 })
    controller.abort()
    expect(await asked).toBeInstanceOf(OpenAI.APIUserAbortError)

    const rows = await until(async () => (await gw(0).admin('GET', `/api/admin/requests?keyId=${key.id}`)).body.data, d => d.length > 0, ROW_DEADLINE_MS)
    expect(rows).toHaveLength(1)
    const row = rows[0]
    expect(row).toMatchObject({ status: 499, errorCode: 'client_closed_request', stream, estimated: true, model: GPT })
    expect(row.promptTokens).toBeGreaterThan(0)
    expect(row.costUsd).toBeGreaterThan(0)
    expect(await spentOf(key.id)).toBeCloseTo(row.costUsd, 12)
    expect((await client(1, key.key).chat.completions.create(next)).choices).toHaveLength(1)
  })
})

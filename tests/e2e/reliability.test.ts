// Reliability and limits end to end, with faults injected into the fake upstreams: retries, no retry
// on 4xx, fallback routes, timeouts, the circuit breaker, client aborts, bad bodies, concurrency,
// hard budgets and crash safety.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeAnthropic, startFakeAnthropic } from '../helpers/fake-anthropic'
import { fakeReply, type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

let openai: FakeOpenAI
let anthropic: FakeAnthropic
const started: GatewayProcess[] = []

async function gateway(env: Record<string, string> = {}) {
  const gw = await startGateway({
    OPENAI_API_KEY: openai.apiKey,
    OPENAI_BASE_URL: openai.url,
    ANTHROPIC_API_KEY: anthropic.apiKey,
    ANTHROPIC_BASE_URL: anthropic.url,
    RETRY_AFTER_MAX_MS: '2000',
    ...env,
  })
  started.push(gw)
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'reliability' })).body
  return { gw, key, client: new OpenAI({ apiKey: key.key, baseURL: `${gw.url}/v1`, maxRetries: 0 }) }
}

const chatCalls = () => openai.requests.filter(r => r.path === '/v1/chat/completions').length
const ask = (client: OpenAI, model = 'gpt-4o-mini', content = 'hello there') => client.chat.completions.create({ model, messages: [{ role: 'user', content }] }).withResponse()

beforeAll(async () => {
  ;[openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()])
})
afterAll(async () => {
  for (const gw of started) {
    await gw.stop()
    removeDir(gw.dataDir)
  }
  await Promise.all([openai?.close(), anthropic?.close()])
})

describe('retries and timeouts', () => {
  let client: OpenAI
  beforeAll(async () => { ({ client } = await gateway()) })

  it('retries 503 and 429 (honouring Retry-After), then succeeds', async () => {
    const before = chatCalls()
    openai.faults.statuses.push({ status: 503 }, { status: 429, retryAfter: '1' })
    const t0 = Date.now()
    const { data } = await ask(client)
    expect(data.choices[0]!.message.content).toBe('echo: there hello')
    expect(chatCalls() - before).toBe(3)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950)
  })

  it('stops retrying when the client goes away during the wait, and logs a 499', async () => {
    const { gw, client: own } = await gateway()
    const before = chatCalls()
    openai.faults.statuses.push({ status: 503, retryAfter: '1' })
    const controller = new AbortController()
    const asked = own.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'wait for me' }] }, { signal: controller.signal }).catch(e => e)
    for (let t0 = Date.now(); chatCalls() === before && Date.now() - t0 < 5000;) await new Promise(r => setTimeout(r, 20))
    controller.abort()
    expect(await asked).toBeInstanceOf(OpenAI.APIUserAbortError)
    // The retry would have gone out 1 s after the 503; it never does.
    await new Promise(r => setTimeout(r, 1500))
    expect(chatCalls() - before).toBe(1)
    const row = (await gw.admin('GET', '/api/admin/requests?limit=1')).body.data[0]
    // The provider had answered (503) and was not working on it: nothing to bill.
    expect(row).toMatchObject({ status: 499, errorCode: 'client_closed_request', promptTokens: 0, costUsd: 0, estimated: false })
  })

  it('retries a reset connection', async () => {
    const before = chatCalls()
    openai.faults.resets = 1
    await ask(client)
    expect(chatCalls() - before).toBe(2)
  })

  it('gives up after UPSTREAM_MAX_RETRIES with the provider-side error', async () => {
    const before = chatCalls()
    openai.faults.statuses.push({ status: 500 }, { status: 500 }, { status: 500 })
    const err = await ask(client).catch(e => e)
    expect(err.status).toBe(502)
    expect(chatCalls() - before).toBe(3)
  })

  it('never retries a 400', async () => {
    const before = chatCalls()
    openai.faults.statuses.push({ status: 400 })
    const err = await ask(client).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(chatCalls() - before).toBe(1)
    openai.faults.statuses.length = 0
  })

  it('answers 504 in time when the upstream does not', async () => {
    const { client: slow } = await gateway({ UPSTREAM_TIMEOUT_MS: '300', UPSTREAM_MAX_RETRIES: '0' })
    openai.faults.delayMs = 3000
    const t0 = Date.now()
    const err = await ask(slow).catch(e => e)
    openai.faults.delayMs = 0
    expect(err.status).toBe(504)
    expect(err.code).toBe('upstream_timeout')
    expect(Date.now() - t0).toBeLessThan(2000)
  })
})

describe('routes and the circuit breaker', () => {
  it('falls back to the next target when one fails, and says which answered', async () => {
    const { gw, client } = await gateway({ UPSTREAM_MAX_RETRIES: '1' })
    const put = await gw.admin('PUT', '/api/admin/routes/smart', { targets: [{ model: 'gpt-4o-mini' }, { model: 'claude-haiku-4-5' }] })
    expect(put.status).toBe(200)
    expect((await gw.admin('GET', '/api/admin/routes')).body.data).toContainEqual(expect.objectContaining({ name: 'smart', strategy: 'fallback', source: 'db' }))
    const before = chatCalls()
    openai.faults.statuses.push({ status: 503 }, { status: 503 })
    const res = await ask(client, 'smart', 'route me please')
    expect(chatCalls() - before).toBe(2)
    expect(res.data.choices[0]!.message.content).toBe('echo: please me route')
    expect(res.data.model).toBe('claude-haiku-4-5')
    expect(res.response.headers.get('x-gateway-provider')).toBe('anthropic')
    expect(res.response.headers.get('x-gateway-model')).toBe('claude-haiku-4-5')
    const healthy = await ask(client, 'smart')
    expect(healthy.response.headers.get('x-gateway-provider')).toBe('openai')
    const row = (await gw.admin('GET', '/api/admin/requests?limit=2')).body.data.find((r: any) => r.id === res.response.headers.get('x-request-id'))
    expect(row).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5', status: 200 })
    expect((await gw.admin('PUT', '/api/admin/routes/bad', { targets: [{ model: 'no-such-model' }] })).status).toBe(400)
  })

  it('opens a circuit after consecutive failures, skips it, and closes it after the cooldown', async () => {
    const { gw, client } = await gateway({ UPSTREAM_MAX_RETRIES: '0', CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_COOLDOWN_MS: '1500' })
    await gw.admin('PUT', '/api/admin/routes/guarded', { targets: [{ model: 'gpt-4o-mini' }, { model: 'claude-haiku-4-5' }] })
    openai.faults.statuses.push({ status: 500 }, { status: 500 })
    for (let i = 0; i < 2; i++) expect((await ask(client, 'guarded')).response.headers.get('x-gateway-provider')).toBe('anthropic')
    const ready = await (await fetch(`${gw.url}/ready`)).json()
    expect(ready.circuits).toEqual([expect.objectContaining({ provider: 'openai', model: 'gpt-4o-mini', state: 'open' })])
    expect(await (await fetch(`${gw.url}/metrics`)).text()).toContain('gateway_circuit_open{provider="openai",model="gpt-4o-mini"} 1')
    const before = chatCalls()
    expect((await ask(client, 'guarded')).response.headers.get('x-gateway-provider')).toBe('anthropic')
    expect(chatCalls()).toBe(before)
    await new Promise(r => setTimeout(r, 1600))
    expect((await ask(client, 'guarded')).response.headers.get('x-gateway-provider')).toBe('openai')
    expect(chatCalls()).toBe(before + 1)
    expect((await (await fetch(`${gw.url}/ready`)).json()).circuits).toEqual([])
  })

  it('picks targets by weight for a weighted route', async () => {
    const { gw, client } = await gateway()
    await gw.admin('PUT', '/api/admin/routes/split', { strategy: 'weighted', targets: [{ model: 'gpt-4o-mini', weight: 1 }, { model: 'claude-haiku-4-5', weight: 3 }] })
    const providers: string[] = []
    for (let i = 0; i < 40; i++) providers.push((await ask(client, 'split')).response.headers.get('x-gateway-provider')!)
    const anthropicShare = providers.filter(p => p === 'anthropic').length / providers.length
    expect(anthropicShare).toBeGreaterThan(0.5)
    expect(anthropicShare).toBeLessThan(0.95)
  })
})

describe('clients', () => {
  it('aborts the upstream when the client goes away, and meters the partial answer as estimated', async () => {
    const { gw, client } = await gateway()
    const abortedBefore = openai.abortedStreams
    const controller = new AbortController()
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `[slow:50] ${words}` }], stream: true }, { signal: controller.signal })
    let received = 0
    await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) received++
        if (received === 5) controller.abort()
      }
    })().catch(() => {})
    // The row is written once the partial answer is counted (the tokenizer loads on first use).
    let row: any
    for (let t0 = Date.now(); Date.now() - t0 < 10_000; await new Promise(r => setTimeout(r, 100))) {
      row = (await gw.admin('GET', '/api/admin/requests?limit=1')).body.data[0]
      if (row?.status === 499) break
    }
    expect(openai.abortedStreams).toBe(abortedBefore + 1)
    expect(row).toMatchObject({ status: 499, stream: true, estimated: true })
    expect(row.promptTokens).toBeGreaterThan(40)
    expect(row.completionTokens).toBeGreaterThanOrEqual(5)
    expect(row.completionTokens).toBeLessThan(40)
    expect(row.costUsd).toBeGreaterThan(0)
  })

  it('answers bad and oversized bodies with 4xx, never a 500', async () => {
    const { gw, key } = await gateway({ MAX_BODY_BYTES: '2000' })
    const post = (body: string) => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'authorization': `Bearer ${key.key}`, 'content-type': 'application/json' }, body })
    const bad = [
      '', 'null', '[]', '"text"', '42', '{', '{"model":5,"messages":[]}', '{"model":"gpt-4o-mini","messages":"hi"}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":5}]}', '{"model":"gpt-4o-mini","messages":[{}]}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"temperature":"hot"}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"stream":"yes"}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"tools":[{}]}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"max_tokens":-1}',
      '{"model":"","messages":[{"role":"user","content":"x"}]}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"nope":1}]}]}',
      '{"model":"claude-haiku-4-5","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x"}}]}]}',
    ]
    for (const body of bad) {
      const res = await post(body)
      expect(res.status, body).toBeGreaterThanOrEqual(400)
      expect(res.status, body).toBeLessThan(500)
      expect((await res.json()).error.message, body).toEqual(expect.any(String))
    }
    const big = await post(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }))
    expect(big.status).toBe(413)
    expect((await big.json()).error.code).toBe('request_too_large')
    expect((await fetch(`${gw.url}/health`)).status).toBe(200)
  })

  it('gives each of 200 concurrent streams exactly its own content', async () => {
    const { client } = await gateway()
    const results = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      const messages = [{ role: 'user' as const, content: `[slow:5] stream ${i} alpha beta gamma` }]
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })
      let text = ''
      for await (const c of stream) text += c.choices[0]?.delta.content ?? ''
      return text === fakeReply(messages)
    }))
    expect(results.every(Boolean)).toBe(true)
  })
})

describe('per-key limits', () => {
  it('keeps a budget under 20 concurrent requests, and never lets it be overspent', async () => {
    const { gw } = await gateway()
    const messages = [{ role: 'user' as const, content: 'spend a little of the budget on this one' }]
    // One request's cost with the fake's counts: prompt tokens × input + completion × output, at max_tokens 20.
    const probeKey = (await gw.admin('POST', '/api/admin/keys', { name: 'probe' })).body
    const probe = await new OpenAI({ apiKey: probeKey.key, baseURL: `${gw.url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 20 })
    const oneCost = (probe.usage!.prompt_tokens * 0.15 + probe.usage!.completion_tokens * 0.6) / 1e6
    const budget = oneCost * 5.5
    const k = (await gw.admin('POST', '/api/admin/keys', { name: 'budgeted', budgetUsd: budget })).body
    const c = new OpenAI({ apiKey: k.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => c.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 20 }).then(() => 'ok', e => e.code)))
    const ok = outcomes.filter(o => o === 'ok').length
    expect(ok).toBeGreaterThanOrEqual(1)
    expect(outcomes.filter(o => o !== 'ok').every(o => o === 'budget_exceeded')).toBe(true)
    expect((await gw.admin('GET', `/api/admin/keys/${k.id}`)).body.spentUsd).toBeCloseTo(ok * oneCost, 12)
    // Reservations are estimates above the real cost, so budget may remain: spend it one by one until
    // what is left is less than a request's estimate.
    let refusal: any
    for (let i = 0; i < 10 && !refusal; i++) refusal = await c.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 20 }).then(() => undefined, e => e)
    expect(refusal.code).toBe('budget_exceeded')
    const spent = (await gw.admin('GET', `/api/admin/keys/${k.id}`)).body.spentUsd
    // A request's estimate: its body at 3 characters a token, the completion at max_tokens.
    const estimate = (Math.ceil(JSON.stringify({ model: 'gpt-4o-mini', messages, max_tokens: 20 }).length / 3) * 0.15 + 20 * 0.6) / 1e6
    expect(spent).toBeGreaterThan(budget - estimate)
    expect(spent).toBeLessThanOrEqual(budget)
  })

  it('enforces tokens per minute', async () => {
    const { gw } = await gateway()
    const k = (await gw.admin('POST', '/api/admin/keys', { name: 'tpm', tpm: 10 })).body
    const c = new OpenAI({ apiKey: k.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
    await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one two three four five six seven' }] })
    const err = await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] }).catch(e => e)
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    expect(err.message).toContain('tokens per minute')
  })

  it('lets a key limited to a route use it', async () => {
    const { gw } = await gateway()
    await gw.admin('PUT', '/api/admin/routes/team', { targets: [{ model: 'gpt-4o-mini' }] })
    const k = (await gw.admin('POST', '/api/admin/keys', { name: 'route-only', models: ['team'] })).body
    const c = new OpenAI({ apiKey: k.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
    expect((await c.chat.completions.create({ model: 'team', messages: [{ role: 'user', content: 'x' }] })).choices).toHaveLength(1)
    expect((await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch(e => e)).status).toBe(403)
  })
})

describe('durability', () => {
  it('survives kill -9 under load with an intact database, and serves again', async () => {
    const { gw, client } = await gateway()
    const load = Array.from({ length: 60 }, (_, i) => ask(client, 'gpt-4o-mini', `load ${i}`).catch(() => null))
    await new Promise(r => setTimeout(r, 150))
    expect(await gw.stop('SIGKILL')).toBeNull()
    await Promise.all(load)
    const db = new Database(join(gw.dataDir, 'gateway.db'))
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    await gw.restart()
    expect((await ask(client)).data.choices).toHaveLength(1)
  })
})


// Operations end to end: health, readiness, metrics, access logs, the per-IP limit, headers and CORS,
// backups with retention and restore, and draining on SIGTERM.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupName } from '../../server/utils/ops/backup-names'
import { backupsToKeep } from '../../server/utils/ops/retention'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

const ROOT = resolve(__dirname, '../..')
let fake: FakeOpenAI
const started: GatewayProcess[] = []

async function gateway(env: Record<string, string> = {}) {
  const gw = await startGateway({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url, ...env })
  started.push(gw)
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'ops' })).body
  return { gw, key, client: new OpenAI({ apiKey: key.key, baseURL: `${gw.url}/v1`, maxRetries: 0 }) }
}

beforeAll(async () => { fake = await startFakeOpenAI() })
afterAll(async () => {
  for (const gw of started) {
    await gw.stop()
    removeDir(gw.dataDir)
  }
  await fake?.close()
})

describe('health, readiness and metrics', () => {
  it('answers /health, /live and /ready, and /ready fails with detail when the database is gone', async () => {
    const { gw } = await gateway()
    expect(await (await fetch(`${gw.url}/health`)).json()).toEqual({ status: 'ok' })
    expect((await fetch(`${gw.url}/live`)).status).toBe(200)
    const ready = await fetch(`${gw.url}/ready`)
    expect(ready.status).toBe(200)
    expect((await ready.json()).checks).toMatchObject({ database: { ok: true }, registry: { ok: true } })

    rmSync(join(gw.dataDir, 'gateway.db'))
    const notReady = await fetch(`${gw.url}/ready`)
    expect(notReady.status).toBe(503)
    expect((await notReady.json()).checks.database).toEqual({ ok: false, detail: 'database file is missing' })
    expect((await fetch(`${gw.url}/live`)).status).toBe(503)
  })

  it('exposes request, token, cost and latency series after traffic, behind METRICS_TOKEN', async () => {
    const { gw, client } = await gateway({ METRICS_TOKEN: 'metrics-secret-token' })
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count me in metrics' }] })
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'and me' }], stream: true }).then(async s => { for await (const _ of s); })
    await client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }).catch(() => {})
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401)
    const text = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret-token' } })).text()
    expect(text).toContain('gateway_requests_total{provider="openai",model="gpt-4o-mini",status="200"} 2')
    expect(text).toContain('gateway_requests_total{provider="",model="",status="404"} 1')
    expect(text).toMatch(/gateway_tokens_total\{provider="openai",model="gpt-4o-mini",type="prompt"\} \d+/)
    expect(text).toMatch(/gateway_cost_usd_total\{provider="openai",model="gpt-4o-mini"\} [\d.e-]+/)
    expect(text).toContain('gateway_request_duration_seconds_bucket{le="0.05",provider="openai",model="gpt-4o-mini"}')
    expect(text).toContain('gateway_ttft_seconds_count{provider="openai",model="gpt-4o-mini"} 2')
    expect(text).toContain('process_resident_memory_bytes')
    expect(text).not.toMatch(/sk-gw-|sk-fake/)
  })
})

describe('logs, request ids and headers', () => {
  it('writes one JSON line per request with usage and no secrets or message contents', async () => {
    const { gw, client, key } = await gateway()
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'confidential words here' }] }, { headers: { 'x-request-id': 'trace-abc-123' } }).withResponse()
    expect(res.response.headers.get('x-request-id')).toBe('trace-abc-123')
    await gw.waitForOutput(/"requestId":"trace-abc-123"/)
    const lines = gw.output().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l))
    const line = lines.find(l => l.requestId === 'trace-abc-123')
    expect(line).toMatchObject({ level: 'info', method: 'POST', path: '/v1/chat/completions', status: 200, keyId: key.id, provider: 'openai', model: 'gpt-4o-mini', promptTokens: res.data.usage!.prompt_tokens, completionTokens: res.data.usage!.completion_tokens })
    expect(line.costUsd).toBeGreaterThan(0)
    expect(typeof line.durationMs).toBe('number')
    expect(Date.parse(line.time)).toBeGreaterThan(0)
    const admin = lines.find(l => l.path === '/api/admin/keys')
    expect(admin).toMatchObject({ method: 'POST', status: 201 })
    const out = gw.output()
    expect(out).not.toContain(key.key)
    expect(out).not.toContain(fake.apiKey)
    expect(out).not.toContain('confidential')
  })

  it('sends security headers, answers CORS preflight on /v1 and keeps the admin API same-origin', async () => {
    const { gw } = await gateway({ CORS_ORIGINS: 'https://app.example.com' })
    const preflight = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { 'origin': 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type')
    const other = await fetch(`${gw.url}/v1/models`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const admin = await fetch(`${gw.url}/api/admin/keys`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } })
    expect(admin.headers.get('access-control-allow-origin')).toBeNull()
    const page = await fetch(`${gw.url}/`)
    expect(page.headers.get('content-security-policy')).toContain('frame-ancestors \'none\'')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(page.headers.get('strict-transport-security')).toContain('max-age=')
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('refuses the 101st request in a minute from one address with 429 and Retry-After', async () => {
    const { gw, key } = await gateway({ RATE_LIMIT_PER_MINUTE: '100' })
    // The key was issued with one /api request already.
    const statuses: number[] = []
    for (let i = 0; i < 100; i++) {
      statuses.push((await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key.key}` } })).status)
    }
    expect(statuses.filter(s => s === 200)).toHaveLength(99)
    expect(statuses.at(-1)).toBe(429)
    const refused = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key.key}` } })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await refused.json()).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' })
    expect((await fetch(`${gw.url}/health`)).status).toBe(200)
    const metrics = await (await fetch(`${gw.url}/metrics`)).text()
    expect(metrics).toContain('gateway_rate_limited_total{scope="ip"} 2')
  })

  it('believes X-Forwarded-For only with TRUST_PROXY', async () => {
    const { gw, key } = await gateway({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' })
    const call = (ip: string) => fetch(`${gw.url}/v1/models`, { headers: { 'authorization': `Bearer ${key.key}`, 'x-forwarded-for': `10.9.9.9, ${ip}` } }).then(r => r.status)
    expect([await call('203.0.113.1'), await call('203.0.113.1'), await call('203.0.113.1')]).toEqual([200, 200, 429])
    expect(await call('203.0.113.2')).toBe(200)
  })
})

describe('backups', () => {
  it('keeps 7 daily, 4 weekly and 12 monthly backups', () => {
    const dates: Date[] = []
    for (let d = 0; d < 400; d++) dates.push(new Date(Date.UTC(2026, 10, 26, 0, 0) - d * 86_400_000))
    const keep = backupsToKeep(dates)
    const kept = dates.filter(d => keep.has(d.getTime()))
    expect(kept.filter(d => Date.UTC(2026, 10, 26) - d.getTime() < 7 * 86_400_000)).toHaveLength(7)
    expect(kept.filter(d => d.getUTCDay() === 0).length).toBeGreaterThanOrEqual(4)
    expect(kept.filter(d => d.getUTCDate() === 1)).toHaveLength(12)
    // 7 daily, the Sundays not among them, the firsts not among them.
    expect(kept.length).toBeLessThanOrEqual(7 + 4 + 12)
    expect(kept.length).toBeGreaterThanOrEqual(12 + 4)
  })

  it('takes a backup that opens as an intact database, prunes old ones, and restores it', async () => {
    const { gw, client, key } = await gateway()
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'before the backup' }] })
    // Older backups: six recent weekdays (with today's, the 7 daily ones), a first of the month
    // (monthly) and an eighth day far back that is neither a Sunday nor a first: only it goes.
    const backups = join(gw.dataDir, 'backups')
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate())
    const recent: string[] = []
    for (let d = 1; recent.length < 6; d++) {
      const day = new Date(today - d * 86_400_000)
      if (day.getUTCDay() !== 0 && day.getUTCDate() !== 1) recent.push(backupName(day))
    }
    const stale = backupName(new Date(Date.UTC(2025, 5, 10, 0, 0, 0)))
    const monthly = backupName(new Date(Date.UTC(2025, 0, 1, 0, 0, 0)))
    for (const name of [...recent, stale, monthly]) mkdirSync(join(backups, name), { recursive: true })

    const run = await gw.admin('POST', '/api/admin/tasks/db:backup')
    expect(run.status).toBe(200)
    const result = run.body.result
    expect(result.files).toMatchObject({ 'gateway.db': expect.any(Number), 'models.json': expect.any(Number), 'config.redacted.json': expect.any(Number) })
    expect(result.pruned).toEqual([stale])
    expect(readdirSync(backups).sort()).toEqual([...recent, monthly, result.name].sort())

    const copy = new Database(join(result.path, 'gateway.db'), { readonly: true })
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    expect((copy.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number }).n).toBeGreaterThanOrEqual(1)
    copy.close()
    const config = readFileSync(join(result.path, 'config.redacted.json'), 'utf8')
    expect(config).not.toContain(fake.apiKey)
    expect(JSON.parse(config).providers.openai.apiKey).toBe('(set)')
    expect((await gw.admin('GET', '/api/admin/backups')).body.data.map((b: any) => b.name)).toContain(result.name)

    // A key made after the backup is gone once the backup is restored; the earlier one works.
    const later = (await gw.admin('POST', '/api/admin/keys', { name: 'after-backup' })).body
    const restore = (dir: string) => spawnSync(process.execPath, [join(ROOT, 'scripts/restore.mjs'), dir], { env: { ...process.env, DATA_DIR: gw.dataDir }, encoding: 'utf8' })
    const refused = restore(result.path)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/is running/)
    await gw.stop()
    const ok = restore(result.path)
    expect(ok.status).toBe(0)
    expect(existsSync(join(gw.dataDir, 'gateway.db'))).toBe(true)
    await gw.restart()
    const keys = (await gw.admin('GET', '/api/admin/keys')).body.data.map((k: any) => k.id)
    expect(keys).toContain(key.id)
    expect(keys).not.toContain(later.id)
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'after restore' }] })
  })
})

describe('shutdown', () => {
  it('drains in-flight streams on SIGTERM, refuses new work, and every answered request is in the log after restart', async () => {
    const { gw, client } = await gateway()
    const streams = Array.from({ length: 5 }, (_, i) =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `[slow:150] stream number ${i}` }], stream: true })
        .then(async (s) => {
          let text = ''
          for await (const c of s) text += c.choices[0]?.delta.content ?? ''
          return text
        }))
    await new Promise(r => setTimeout(r, 300))
    const exit = gw.stop('SIGTERM')
    await new Promise(r => setTimeout(r, 100))
    const late = await fetch(`${gw.url}/v1/models`).then(r => r.status, () => 'refused')
    expect([503, 'refused']).toContain(late)
    const texts = await Promise.all(streams)
    texts.forEach((t, i) => expect(t).toBe(`echo: ${i} number stream [slow:150]`))
    expect(await exit).toBe(0)
    await gw.restart()
    const rows = (await gw.admin('GET', '/api/admin/requests?limit=50')).body.data.filter((r: any) => r.stream)
    expect(rows).toHaveLength(5)
    expect(rows.every((r: any) => r.status === 200 && r.completionTokens > 0)).toBe(true)
  })

  it('exits with a clear message when its port is taken, rather than running without listening', async () => {
    const { gw } = await gateway()
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-port-taken-'))
    try {
      await expect(startGateway({ PORT: new URL(gw.url).port }, { dataDir }))
        .rejects.toThrow(/exited early \(1\)[\s\S]*cannot listen: EADDRINUSE/)
    }
    finally {
      removeDir(dataDir)
    }
    expect((await fetch(`${gw.url}/health`)).status).toBe(200)
  })

  it('exits within seconds when idle', async () => {
    const { gw } = await gateway()
    const t0 = Date.now()
    expect(await gw.stop('SIGTERM')).toBe(0)
    expect(Date.now() - t0).toBeLessThan(5000)
  })
})

// The pricing registry's update path end to end: the built gateway reads pricing pages from a fake
// site on loopback (the repo's own small pages), through the admin API and the registry:update task.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildSeedRegistry } from '../../server/utils/registry/seed'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type FakePricingSite, startFakePricingSite } from '../helpers/fake-pricing'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

const FIXTURES = resolve(__dirname, '../fixtures/pricing')
const original = {
  openai: readFileSync(join(FIXTURES, 'openai.md'), 'utf8'),
  openaiHtml: readFileSync(join(FIXTURES, 'openai.html'), 'utf8'),
  anthropic: readFileSync(join(FIXTURES, 'anthropic.md'), 'utf8'),
  google: readFileSync(join(FIXTURES, 'google.md.txt'), 'utf8'),
}

let site: FakePricingSite
let fake: FakeOpenAI
let gw: GatewayProcess
let client: OpenAI

const models = async () => (await gw.admin('GET', '/api/admin/models')).body
const model = async (id: string) => (await models()).models.find((m: any) => m.id === id)
const update = async () => (await gw.admin('POST', '/api/admin/update-registry')).body
const registryFile = (name: string) => JSON.parse(readFileSync(join(gw.dataDir, 'registry', name), 'utf8'))

function servePages(p: Partial<typeof original> = {}) {
  const pages = { ...original, ...p }
  site.pages.clear()
  site.pages.set('/openai/pricing.md', pages.openai)
  site.pages.set('/openai/pricing', pages.openaiHtml)
  site.pages.set('/anthropic/pricing.md', pages.anthropic)
  site.pages.set('/google/pricing.md.txt', pages.google)
}

beforeAll(async () => {
  site = await startFakePricingSite()
  fake = await startFakeOpenAI()
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-registry-'))
  mkdirSync(join(dataDir, 'registry'))
  // Start from a registry made from the same small pages, so the first update changes nothing.
  const seed = buildSeedRegistry({ openai: original.openai, anthropic: original.anthropic, google: original.google }, new Date().toISOString())
  writeFileSync(join(dataDir, 'registry', 'models.json'), JSON.stringify(seed))
  gw = await startGateway({
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.url,
    REGISTRY_OPENAI_URL: `${site.url}/openai/pricing.md`,
    REGISTRY_ANTHROPIC_URL: `${site.url}/anthropic/pricing.md`,
    REGISTRY_GOOGLE_URL: `${site.url}/google/pricing.md.txt`,
    REGISTRY_CRON: '30 4 * * *',
  }, { dataDir })
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'registry-test' })).body
  client = new OpenAI({ apiKey: key.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await gw?.stop()
  await Promise.all([site?.close(), fake?.close()])
  if (gw) removeDir(gw.dataDir)
})

beforeEach(() => servePages())

describe('registry update', () => {
  it('changes nothing when the pages say what the registry says', async () => {
    const before = await models()
    const summary = await update()
    expect(summary).toMatchObject({ changed: [], added: [], notSeen: [], failed: {} })
    expect(summary.unchanged).toBe(before.models.length)
    const after = await models()
    expect(after.sources.openai).toMatchObject({ ok: true, url: `${site.url}/openai/pricing.md`, models: 4 })
    expect(after.sources.openai.lastSuccessAt).toBe(summary.updatedAt)
    expect(after.models).toEqual(before.models)
  })

  it('picks up a changed price, keeps a .bak, records history, and prices the next request with it without a restart', async () => {
    servePages({ openai: original.openai.replace('| gpt-4o-mini | $0.15 | $0.075 |', '| gpt-4o-mini | $0.30 | $0.075 |') })
    const summary = await update()
    expect(summary.changed).toEqual([{ id: 'gpt-4o-mini', provider: 'openai', field: 'input', from: 0.15, to: 0.3 }])
    expect((await model('gpt-4o-mini')).pricing).toMatchObject({ input: 0.3, cachedInput: 0.075, output: 0.6 })
    expect(registryFile('models.json.bak').models.find((m: any) => m.id === 'gpt-4o-mini').pricing.input).toBe(0.15)
    expect(registryFile('models.json').models.find((m: any) => m.id === 'gpt-4o-mini').pricing.input).toBe(0.3)

    const history = (await gw.admin('GET', '/api/admin/models/gpt-4o-mini/history')).body.data
    expect(history[0]).toMatchObject({ field: 'input', from: 0.15, to: 0.3, source: 'scrape' })

    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'price me now' }] }).withResponse()
    const row = (await gw.admin('GET', '/api/admin/requests?limit=5')).body.data.find((r: any) => r.id === res.response.headers.get('x-request-id'))
    const u = res.data.usage!
    expect(row.costUsd).toBeCloseTo((u.prompt_tokens * 0.3 + u.completion_tokens * 0.6) / 1e6, 15)
  })

  it('reports what a period would have cost at the rollback target, per model', async () => {
    servePages({ openai: original.openai.replace('| gpt-4o-mini | $0.15 | $0.075 |', '| gpt-4o-mini | $0.45 | $0.075 |') })
    await update()
    const current = await models()
    const backup = registryFile('models.json.bak')
    expect(backup.version).toBeLessThan(current.version)
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'what would this have cost' }] })

    const today = new Date().toISOString().slice(0, 10)
    const report = (await gw.admin('GET', `/api/admin/usage/reprice?from=${today}&to=${today}&version=${backup.version}`)).body
    expect(report).toMatchObject({ from: today, to: today, version: backup.version })
    // By hand, from the logged rows and the backup's prices (USD per 1M → nano-dollars a token × 1000).
    const rows = (await gw.admin('GET', '/api/admin/requests?limit=500&model=gpt-4o-mini')).body.data
    const p = backup.models.find((m: any) => m.id === 'gpt-4o-mini').pricing
    const atBackup = rows.reduce((n: number, r: any) => n + (r.promptTokens - r.cachedTokens) * p.input * 1000 + r.cachedTokens * p.cachedInput * 1000 + r.completionTokens * p.output * 1000, 0)
    const billed = rows.reduce((n: number, r: any) => n + r.costNanoUsd, 0)
    const line = report.data.find((r: any) => r.provider === 'openai' && r.model === 'gpt-4o-mini')
    expect(line).toMatchObject({ requests: rows.length, billedNanoUsd: billed, repricedNanoUsd: Math.round(atBackup), differenceNanoUsd: Math.round(atBackup) - billed })
    expect(line.repricedNanoUsd).toBeLessThan(line.billedNanoUsd)
    // At the version in force, every request at today's prices (the earlier ones were billed at others);
    // without a version, the rollback target's; an unknown version is refused.
    const q = current.models.find((m: any) => m.id === 'gpt-4o-mini').pricing
    const atCurrent = rows.reduce((n: number, r: any) => n + (r.promptTokens - r.cachedTokens) * q.input * 1000 + r.cachedTokens * q.cachedInput * 1000 + r.completionTokens * q.output * 1000, 0)
    const same = (await gw.admin('GET', `/api/admin/usage/reprice?from=${today}&to=${today}&version=${current.version}`)).body
    expect(same.data.find((r: any) => r.model === 'gpt-4o-mini')).toMatchObject({ billedNanoUsd: billed, repricedNanoUsd: Math.round(atCurrent) })
    expect(rows[0].costNanoUsd).toBe(Math.round((rows[0].promptTokens - rows[0].cachedTokens) * 450 + rows[0].cachedTokens * 75 + rows[0].completionTokens * 600))
    expect((await gw.admin('GET', `/api/admin/usage/reprice?from=${today}&to=${today}`)).body.version).toBe(backup.version)
    const unknown = await gw.admin('GET', `/api/admin/usage/reprice?version=${current.version + 50}`)
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatchObject({ code: 'version_not_found', param: 'version' })
  })

  it('adds a model that appears on a page', async () => {
    const row = '| gpt-4.1-mini | $0.40 | $0.10 | - | $1.60 | - | - | - | - |\n'
    servePages({ openai: original.openai.replace('| gpt-4o-mini | $0.15', `${row}| gpt-4o-mini | $0.15`) })
    const summary = await update()
    expect(summary.added).toEqual(['gpt-4.1-mini'])
    expect(await model('gpt-4.1-mini')).toMatchObject({ provider: 'openai', mode: 'chat', source: 'scraped', status: 'active', pricing: { input: 0.4, cachedInput: 0.1, output: 1.6 } })
    const ids = []
    for await (const m of client.models.list()) ids.push(m.id)
    expect(ids).toContain('gpt-4.1-mini')
  })

  it('marks a model missing from its page as not seen, and never deletes it', async () => {
    servePages({ openai: original.openai.replace(/^\| gpt-4\.1 \|.*\n/m, '') })
    const summary = await update()
    expect(summary.notSeen).toContain('gpt-4.1')
    expect(await model('gpt-4.1')).toMatchObject({ pricing: { input: 2, output: 8 } })
    expect((await model('gpt-4.1')).notSeenSince).toBe(summary.updatedAt)
  })

  it('falls back to the HTML page when the Markdown twin fails', async () => {
    site.pages.set('/openai/pricing.md', 503)
    const summary = await update()
    expect(summary.failed).toEqual({})
    expect((await models()).sources.openai).toMatchObject({ ok: true, url: `${site.url}/openai/pricing` })
    expect(site.hits.filter(h => h === '/openai/pricing').length).toBeGreaterThan(0)
  })
})

describe('refused updates lose nothing', () => {
  const refusals: [string, string, RegExp][] = [
    ['an empty page', '', /empty page/],
    ['a bot-check page', '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>', /bot-check/],
    ['an absurd price', original.openai.replace('| gpt-4.1 | $2.00 |', '| gpt-4.1 | $2000.00 |'), /(invalid|implausible) prices? for gpt-4\.1/],
    ['a page missing most models', original.openai.replace(/^\| gpt-(5\.5|4\.1) .*\n/gm, '').replace(/^\| Embedding .*\n/gm, ''), /most models are missing/],
  ]

  it.each(refusals)('refuses %s as a whole while other providers update', async (_name, page, reason) => {
    const before = (await models()).models.filter((m: any) => m.provider === 'openai')
    // Anthropic changes in the same run and must still be applied.
    const haiku = (await model('claude-haiku-4-5')).pricing.output
    const next = haiku === 5 ? '$6 / MTok' : '$5 / MTok'
    servePages({ openai: page, openaiHtml: page, anthropic: original.anthropic.replace(/(\| Claude Haiku 4\.5 \|.*\| )\$5 \/ MTok( \|)$/m, `$1${next}$2`) })
    const summary = await update()
    expect(summary.failed.openai).toMatch(reason)
    const after = await models()
    expect(after.models.filter((m: any) => m.provider === 'openai')).toEqual(before)
    expect(after.sources.openai).toMatchObject({ ok: false })
    expect(after.sources.openai.error).toMatch(reason)
    expect((await model('claude-haiku-4-5')).pricing.output).toBe(Number(next.slice(1, 2)))
  })
})

describe('rollback, overrides and tasks', () => {
  it('rolls back to models.json.bak', async () => {
    servePages({ openai: original.openai.replace('| gpt-4.1 | $2.00 | $0.50 | - | $8.00 |', '| gpt-4.1 | $2.50 | $0.50 | - | $8.00 |') })
    await update()
    expect((await model('gpt-4.1')).pricing.input).toBe(2.5)
    const res = await gw.admin('POST', '/api/admin/registry/rollback')
    expect(res.status).toBe(200)
    expect(res.body.changed).toContainEqual({ id: 'gpt-4.1', provider: 'openai', field: 'input', from: 2.5, to: 2 })
    expect((await model('gpt-4.1')).pricing.input).toBe(2)
    const history = (await gw.admin('GET', '/api/admin/models/gpt-4.1/history')).body.data
    expect(history[0]).toMatchObject({ field: 'input', from: 2.5, to: 2, source: 'rollback' })
  })

  it('keeps a manual price over scraped ones until it is cleared', async () => {
    const set = await gw.admin('PATCH', '/api/admin/models/gpt-4o-mini', { pricing: { input: 1, output: 2 } })
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({ source: 'manual', pricing: { input: 1, output: 2 } })
    servePages({ openai: original.openai.replace('| gpt-4o-mini | $0.15 | $0.075 |', '| gpt-4o-mini | $0.25 | $0.075 |') })
    const summary = await update()
    expect(summary.changed).toContainEqual({ id: 'gpt-4o-mini', provider: 'openai', field: 'input', from: expect.any(Number), to: 0.25, overridden: true })
    expect((await model('gpt-4o-mini')).pricing).toEqual({ input: 1, output: 2 })

    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'manual price' }] }).withResponse()
    const row = (await gw.admin('GET', '/api/admin/requests?limit=5')).body.data.find((r: any) => r.id === res.response.headers.get('x-request-id'))
    expect(row.costUsd).toBeCloseTo((res.data.usage!.prompt_tokens * 1 + res.data.usage!.completion_tokens * 2) / 1e6, 15)

    const cleared = await gw.admin('PATCH', '/api/admin/models/gpt-4o-mini', { pricing: null })
    expect(cleared.body).toMatchObject({ source: 'scraped', pricing: { input: 0.25, cachedInput: 0.075, output: 0.6 } })
  })

  it('refuses an absurd manual price with a 400 naming the field', async () => {
    const res = await gw.admin('PATCH', '/api/admin/models/gpt-4o-mini', { pricing: { input: 5000, output: 1 } })
    expect(res.status).toBe(400)
    expect(res.body.error.param).toBe('pricing.input')
    expect((await gw.admin('PATCH', '/api/admin/models/no-such-model', { pricing: null })).status).toBe(404)
  })

  it('lists tasks with their schedules and runs the update through the task API', async () => {
    const tasks = (await gw.admin('GET', '/api/admin/tasks')).body.data
    expect(tasks).toContainEqual(expect.objectContaining({ name: 'registry:update', schedule: '30 4 * * *' }))
    const before = site.hits.length
    const run = await gw.admin('POST', '/api/admin/tasks/registry:update')
    expect(run.status).toBe(200)
    expect(run.body.task).toBe('registry:update')
    expect(run.body.result).toMatchObject({ failed: {} })
    expect(site.hits.length).toBeGreaterThan(before)
    expect((await gw.admin('POST', '/api/admin/tasks/no:such')).status).toBe(404)
  })

  it('maps a new display name to its API id through the provider\'s model list when a credential is set', async () => {
    const page = original.anthropic.replace('| Claude Haiku 4.5 |', '| Claude Nova 9 | $2 / MTok | $2.50 / MTok | $4 / MTok | $0.20 / MTok | $9 / MTok |\n| Claude Haiku 4.5 |')
    servePages({ anthropic: page })
    // Without a model list the name is unknown: the page is refused, and says why.
    expect((await update()).failed.anthropic).toMatch(/no API id for "Claude Nova 9"/)
    site.pages.set('/v1/models?limit=1000', JSON.stringify({ data: [{ type: 'model', id: 'claude-nova-9', display_name: 'Claude Nova 9' }], has_more: false }))
    await gw.admin('PUT', '/api/admin/providers/anthropic', { apiKey: 'sk-ant-model-list-key-0123456789', baseUrl: site.url })
    const summary = await update()
    await gw.admin('DELETE', '/api/admin/providers/anthropic')
    expect(summary.failed).toEqual({})
    expect(summary.added).toEqual(['claude-nova-9'])
    expect(await model('claude-nova-9')).toMatchObject({ provider: 'anthropic', displayName: 'Claude Nova 9', pricing: { input: 2, cacheWrite: 2.5, cachedInput: 0.2, output: 9 } })
  })

  it('keeps the registry files under DATA_DIR/registry', () => {
    expect(existsSync(join(gw.dataDir, 'registry', 'models.json'))).toBe(true)
    expect(existsSync(join(gw.dataDir, 'registry', 'models.json.bak'))).toBe(true)
  })
})

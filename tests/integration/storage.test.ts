// The storage layer run in-process against both databases it supports: the embedded SQLite file and
// PostgreSQL (a database made for this run on this machine's server). Same code, same assertions.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { RequestRecord } from '../../server/utils/store/request-record'
import { createTestDatabase, servicesAvailable, type TestDatabase } from '../helpers/services'

const missing = await servicesAvailable()
if (missing) console.warn(`[storage] PostgreSQL leg skipped: ${missing}`)

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
])('storage on %s', (_name, usePostgres) => {
  const skip = usePostgres && Boolean(missing)
  let dataDir: string
  let pg: TestDatabase | undefined
  let s: {
    db: typeof import('../../server/utils/db')
    keys: typeof import('../../server/utils/store/keys')
    log: typeof import('../../server/utils/store/request-log')
    conns: typeof import('../../server/utils/store/connections')
    history: typeof import('../../server/utils/registry/price-history')
    routes: typeof import('../../server/utils/store/routes')
    responses: typeof import('../../server/utils/store/responses')
    conversations: typeof import('../../server/utils/store/conversations')
    write: typeof import('../../server/utils/store/write')
    cost: typeof import('../../server/utils/registry/cost')
  }

  beforeAll(async () => {
    if (skip) return
    dataDir = mkdtempSync(join(tmpdir(), 'gw-storage-'))
    pg = usePostgres ? await createTestDatabase() : undefined
    vi.resetModules()
    vi.stubEnv('DATA_DIR', dataDir)
    vi.stubEnv('DATABASE_URL', pg?.url ?? '')
    vi.stubEnv('REDIS_URL', '')
    vi.stubEnv('SECRET_KEY', 'storage-test-secret-key-0123456789abcdef')
    vi.stubEnv('ENCRYPTION_KEY', 'storage-test-encryption-key-0123456789ab')
    vi.stubEnv('ADMIN_API_KEY', 'storage-test-admin-key-0123456789abcdef')
    s = {
      db: await import('../../server/utils/db'),
      keys: await import('../../server/utils/store/keys'),
      log: await import('../../server/utils/store/request-log'),
      conns: await import('../../server/utils/store/connections'),
      history: await import('../../server/utils/registry/price-history'),
      routes: await import('../../server/utils/store/routes'),
      responses: await import('../../server/utils/store/responses'),
      conversations: await import('../../server/utils/store/conversations'),
      write: await import('../../server/utils/store/write'),
      cost: await import('../../server/utils/registry/cost'),
    }
  })

  afterAll(async () => {
    if (skip) return
    await (await s.db.database()).close()
    vi.unstubAllEnvs()
    await pg?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it.skipIf(skip)('applies every migration once', async () => {
    const handle = await s.db.database()
    expect(handle.dialect.name).toBe(usePostgres ? 'postgresql' : 'sqlite')
    const rows = await handle.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
    const { migrations } = await import('../../server/utils/db/migrations')
    expect(rows.map(r => Number(r.version))).toEqual(migrations.map(m => m.version))
    expect(await s.db.migrate(handle)).toEqual([])
  })

  it.skipIf(skip)('creates, finds, updates and revokes keys', async () => {
    const { key, secret } = await s.keys.createKey({ name: 'k', budgetUsd: 2.5, rpm: 10, models: ['gpt-4o-mini'], expiresAt: Date.UTC(2030, 0, 1) })
    expect(await s.keys.findKeyByHash(s.keys.hashKeySecret(secret))).toEqual(key)
    expect(key).toMatchObject({ name: 'k', budgetNanoUsd: 2_500_000_000, rpm: 10, models: ['gpt-4o-mini'], expiresAt: Date.UTC(2030, 0, 1), spentNanoUsd: 0, revokedAt: null })
    expect(await s.keys.updateKey(key.id, { budgetUsd: 0.3 })).toMatchObject({ budgetNanoUsd: 300_000_000 })
    expect(await s.keys.updateKey(key.id, { budgetUsd: null })).toMatchObject({ budgetNanoUsd: null })
    expect(await s.keys.updateKey(key.id, { rpm: null, name: 'renamed' })).toMatchObject({ rpm: null, name: 'renamed' })
    expect((await s.keys.revokeKey(key.id))!.revokedAt).toBeGreaterThan(0)
    expect((await s.keys.listKeys()).map(k => k.id)).toContain(key.id)
  })

  const save = (r: Parameters<typeof s.responses.responseWrite>[0]) => s.write.commit(s.responses.responseWrite(r))

  it.skipIf(skip)('keeps responses per key and follows their previous_response_id chain', async () => {
    const stored = (id: string, previousResponseId: string | null, keyId = 'key_resp') => ({
      id, keyId, createdAt: Date.now(), provider: 'anthropic', upstreamStored: false, previousResponseId,
      input: [{ id: `msg_${id}`, type: 'message', role: 'user', content: [{ type: 'input_text', text: `q ${id}` }] }],
      response: { id, object: 'response', output: [{ id: `out_${id}`, type: 'message' }] },
    })
    await save(stored('resp_a', null))
    await save(stored('resp_b', 'resp_a'))
    await save({ ...stored('resp_c', 'resp_b'), provider: 'openai', upstreamStored: true })
    const last = (await s.responses.loadResponse('key_resp', 'resp_c'))!
    expect(last).toMatchObject({ provider: 'openai', upstreamStored: true, previousResponseId: 'resp_b', input: stored('resp_c', null).input })
    expect((await s.responses.responseChain('key_resp', last)).map(r => r.id)).toEqual(['resp_a', 'resp_b', 'resp_c'])
    expect(await s.responses.loadResponse('key_other', 'resp_c')).toBeUndefined()
    expect(await s.responses.deleteResponse('key_other', 'resp_b')).toBe(false)
    expect(await s.responses.deleteResponse('key_resp', 'resp_b')).toBe(true)
    expect((await s.responses.responseChain('key_resp', last)).map(r => r.id)).toEqual(['resp_c'])
  })

  it.skipIf(skip)('replaces a stored response only while it is as last read, and finds items by id for one key', async () => {
    const response = { id: 'resp_cas', object: 'response', status: 'queued', output: [] as Record<string, unknown>[] }
    await s.write.commit(s.responses.responseWrite({ id: 'resp_cas', keyId: 'key_cas', createdAt: Date.now(), provider: 'openai', upstreamStored: false, previousResponseId: null, input: [{ id: 'msg_in_1', type: 'message' }], response }))
    const read = (await s.responses.loadResponse('key_cas', 'resp_cas'))!
    const done = JSON.stringify({ ...response, status: 'completed', output: [{ id: 'msg_out_1', type: 'message', role: 'assistant' }] })
    expect(await s.responses.replaceResponse('key_other', 'resp_cas', read.responseText, done)).toBe(false)
    expect(await s.responses.replaceResponse('key_cas', 'resp_cas', read.responseText, done)).toBe(true)
    // A second writer that read the queued state loses: the response is no longer what it read.
    expect(await s.responses.replaceResponse('key_cas', 'resp_cas', read.responseText, JSON.stringify({ ...response, status: 'cancelled' }))).toBe(false)
    expect((await s.responses.loadResponse('key_cas', 'resp_cas'))!.response.status).toBe('completed')
    const found = await s.responses.findItems('key_cas', ['msg_out_1', 'msg_in_1', 'msg_out_', 'msg%out%1'])
    expect([...found.keys()].sort()).toEqual(['msg_in_1', 'msg_out_1'])
    expect(found.get('msg_out_1')).toEqual({ id: 'msg_out_1', type: 'message', role: 'assistant' })
    expect((await s.responses.findItems('key_other', ['msg_out_1'])).size).toBe(0)
  })

  it.skipIf(skip)('expires the responses created before a cutoff, of every key', async () => {
    const at = (id: string, keyId: string, createdAt: number) => ({
      id, keyId, createdAt, provider: 'google', upstreamStored: false, previousResponseId: null, input: [], response: { id },
    })
    const now = Date.UTC(2026, 11, 1)
    await save(at('resp_old1', 'key_x', now - 31 * 86_400_000))
    await save(at('resp_old2', 'key_y', now - 30 * 86_400_000 - 1))
    await save(at('resp_new', 'key_x', now - 29 * 86_400_000))
    expect(await s.responses.deleteResponsesCreatedBefore(now - 30 * 86_400_000)).toBe(2)
    expect(await s.responses.loadResponse('key_y', 'resp_old2')).toBeUndefined()
    expect(await s.responses.loadResponse('key_x', 'resp_new')).toBeDefined()
  })

  it.skipIf(skip)('keeps conversations per key, appends in order (concurrently too), and expires idle ones with their items', async () => {
    const c = s.conversations
    const item = (id: string) => ({ id, type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: id }] })
    const t0 = Date.UTC(2026, 10, 1)
    const conv = { id: `conv_${usePostgres}`, keyId: 'key_conv', createdAt: t0, metadata: { topic: 'demo' } }
    await s.write.commit(c.conversationWrite(conv), c.appendWrite('key_conv', conv.id, [item('msg_1'), item('msg_2')], t0))
    expect(await c.loadConversation('key_conv', conv.id)).toEqual(conv)
    expect(await c.loadConversation('key_other', conv.id)).toBeUndefined()
    // Appends that race each take their own positions; another key's append adds nothing.
    await Promise.all([
      s.write.commit(c.appendWrite('key_conv', conv.id, [item('msg_3'), item('msg_4')], t0 + 1)),
      s.write.commit(c.appendWrite('key_conv', conv.id, [item('msg_5')], t0 + 2)),
      s.write.commit(c.appendWrite('key_other', conv.id, [item('msg_x')], t0 + 3)),
    ])
    const ids = (await c.itemsOfConversation(conv.id)).map(i => i.id)
    expect(ids.slice(0, 2)).toEqual(['msg_1', 'msg_2'])
    expect([...ids].sort()).toEqual(['msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_5'])
    expect(ids.indexOf('msg_4')).toBe(ids.indexOf('msg_3') + 1)
    expect(await c.itemOfConversation(conv.id, 'msg_2')).toEqual(item('msg_2'))
    expect(await c.deleteConversationItem(conv.id, 'msg_2')).toBe(true)
    expect(await c.itemOfConversation(conv.id, 'msg_2')).toBeUndefined()
    expect(await c.updateConversationMetadata('key_other', conv.id, {})).toBe(false)
    expect(await c.updateConversationMetadata('key_conv', conv.id, { topic: 'new' })).toBe(true)
    expect((await c.loadConversation('key_conv', conv.id))!.metadata).toEqual({ topic: 'new' })

    const idle = { id: `conv_idle_${usePostgres}`, keyId: 'key_conv', createdAt: t0 - 40 * 86_400_000, metadata: {} }
    await s.write.commit(c.conversationWrite(idle), c.appendWrite('key_conv', idle.id, [item('msg_old')], idle.createdAt))
    // The first conversation's last append (t0 + 2) is younger than the cutoff; the idle one's is not.
    expect(await c.deleteConversationsIdleSince(t0 - 30 * 86_400_000)).toBe(1)
    expect(await c.loadConversation('key_conv', idle.id)).toBeUndefined()
    expect(await c.itemsOfConversation(idle.id)).toEqual([])
    expect(await c.loadConversation('key_conv', conv.id)).toBeDefined()
    expect(await c.deleteConversation('key_other', conv.id)).toBe(false)
    expect(await c.deleteConversation('key_conv', conv.id)).toBe(true)
    expect(await c.itemsOfConversation(conv.id)).toEqual([])
  })

  const request = (id: string, keyId: string, over: Partial<RequestRecord> = {}): RequestRecord => ({
    id, createdAt: Date.UTC(2026, 10, 20, 12), keyId, endpoint: 'chat', provider: 'openai', model: 'gpt-4o-mini', requestedModel: 'gpt-4o-mini', stream: false, status: 200, errorCode: null,
    promptTokens: 100, cachedTokens: 20, cacheWriteTokens: 0, cacheWrite1hTokens: 0, completionTokens: 10, reasoningTokens: 0, costNanoUsd: 1_000_000, estimated: false, unpriced: false, latencyMs: 50, ttftMs: 10,
    costLines: [], registryVersion: 1, serviceTier: null,
    ...over,
  })

  it.skipIf(skip)('writes request rows with rollups and spend in one batch, and pages them', async () => {
    const { key } = await s.keys.createKey({ name: 'logged' })
    const base = Date.UTC(2026, 10, 20, 12)
    for (let i = 0; i < 5; i++) {
      s.log.recordRequest(request(`req_storage_${usePostgres}_${i}`, key.id, {
        createdAt: base + i * 1000, model: i < 3 ? 'gpt-4o-mini' : 'gpt-4.1', stream: i % 2 === 0, status: i === 4 ? 502 : 200, errorCode: i === 4 ? 'upstream_error' : null,
      }))
    }
    await s.log.flushRequestLog()
    const page1 = await s.log.listRequests({ limit: 2, keyId: key.id })
    expect(page1.data.map(r => r.id)).toEqual([`req_storage_${usePostgres}_4`, `req_storage_${usePostgres}_3`])
    const page2 = await s.log.listRequests({ limit: 10, keyId: key.id, cursor: page1.nextCursor! })
    expect(page2.data).toHaveLength(3)
    expect(page2.nextCursor).toBeNull()
    expect(page2.data[0]).toMatchObject({ stream: true, status: 200, promptTokens: 100, cachedTokens: 20, costUsd: 0.001, costNanoUsd: 1_000_000, ttftMs: 10 })
    const byModel = await s.log.usageBetween('2026-11-20', '2026-11-20', 'model')
    expect(byModel).toEqual([
      { model: 'gpt-4.1', requests: 2, errors: 1, promptTokens: 200, cachedTokens: 40, completionTokens: 20, costUsd: 0.002, costNanoUsd: 2_000_000 },
      { model: 'gpt-4o-mini', requests: 3, errors: 0, promptTokens: 300, cachedTokens: 60, completionTokens: 30, costUsd: 0.003, costNanoUsd: 3_000_000 },
    ])
    expect((await s.keys.getKey(key.id))!.spentNanoUsd).toBe(5_000_000)
  })

  const countRows = async (sql: string, ...params: string[]) =>
    Number((await (await s.db.database()).db.prepare(sql).get(...params) as { n: number | string }).n)

  it.skipIf(skip)('sums ten thousand metered requests to exactly their costs: rows, rollups, key spend and the dollars shown', async () => {
    const { key } = await s.keys.createKey({ name: 'ten-thousand' })
    // Prices whose dollar values floating point cannot hold exactly, and usage that varies per request.
    const pricing = { input: 0.1, cachedInput: 0.01, cacheWrite: 0.125, cacheWrite1h: 0.2, output: 0.3, tiers: [{ aboveTokens: 200_000, input: 0.2, cachedInput: 0.02, output: 0.45 }] }
    const day = Date.UTC(2026, 10, 22)
    let expected = 0
    let dollars = 0
    for (let i = 0; i < 10_000; i++) {
      const promptTokens = 1 + (i * 7919) % 400_000
      const cachedTokens = i % 3 ? Math.floor(promptTokens / 4) : 0
      const cacheWriteTokens = i % 5 ? 0 : Math.floor(promptTokens / 8)
      const usage = { promptTokens, cachedTokens, cacheWriteTokens, cacheWrite1hTokens: i % 10 ? 0 : cacheWriteTokens, completionTokens: 1 + (i * 104_729) % 3000, reasoningTokens: 0 }
      const costNanoUsd = s.cost.costNanoUsd(pricing, usage, day)
      expected += costNanoUsd
      dollars += costNanoUsd / 1e9
      s.log.recordRequest(request(`req_sum_${usePostgres}_${i}`, key.id, { ...usage, createdAt: day + i * 1000, model: i % 2 ? 'gpt-4o-mini' : 'gpt-4.1', costNanoUsd }))
    }
    await s.log.flushRequestLog()
    // Summed as dollars, the same costs drift: what the gateway did before it counted in integers.
    expect(dollars).not.toBe(expected / 1e9)
    expect(await countRows('SELECT SUM(cost_nano_usd) AS n FROM request_log WHERE key_id = ?', key.id)).toBe(expected)
    expect(await countRows('SELECT SUM(cost_nano_usd) AS n FROM usage_daily WHERE key_id = ?', key.id)).toBe(expected)
    expect((await s.keys.getKey(key.id))!.spentNanoUsd).toBe(expected)
    const byKey = (await s.log.usageBetween('2026-11-22', '2026-11-22', 'key')).find(r => r.key === key.id)
    expect(byKey).toMatchObject({ requests: 10_000, costNanoUsd: expected, costUsd: expected / 1e9 })
  })

  const notSqlite = skip || usePostgres
  

  it.skipIf(notSqlite)('writes the request log on the writer thread\'s connection, visible to the main one once flushed', async () => {
    const { db } = await s.db.database()
    // data_version changes only when another connection commits.
    const dataVersion = async () => (await db.prepare('PRAGMA data_version').get() as { data_version: number }).data_version
    const before = await dataVersion()
    const { key } = await s.keys.createKey({ name: 'threaded' })
    expect(await dataVersion()).toBe(before)
    s.log.recordRequest(request('req_threaded', key.id, { costNanoUsd: 250_000_000 }))
    await s.log.flushRequestLog()
    expect(await dataVersion()).not.toBe(before)
    expect(await countRows('SELECT COUNT(*) AS n FROM request_log WHERE key_id = ?', key.id)).toBe(1)
    expect((await s.keys.getKey(key.id))!.spentNanoUsd).toBe(250_000_000)
  })

  it.skipIf(notSqlite)('makes the writer wait for a main-thread transaction that reads before it writes', async () => {
    const handle = await s.db.database()
    const { key } = await s.keys.createKey({ name: 'contended' })
    let flushed: Promise<void> | undefined
    await handle.transaction(async () => {
      await handle.db.prepare('SELECT name FROM gateway_keys WHERE id = ?').get(key.id)
      s.log.recordRequest(request('req_contended', key.id))
      flushed = s.log.flushRequestLog()
      // Time enough for the writer to commit in between, were it not kept waiting for this transaction.
      await new Promise(resolve => setTimeout(resolve, 300))
      await handle.db.prepare('UPDATE gateway_keys SET name = ? WHERE id = ?').run('renamed while contended', key.id)
    })
    await flushed
    expect(await s.keys.getKey(key.id)).toMatchObject({ name: 'renamed while contended', spentNanoUsd: 1_000_000 })
    expect(await countRows('SELECT COUNT(*) AS n FROM request_log WHERE key_id = ?', key.id)).toBe(1)
  })

  it.skipIf(notSqlite)('keeps a failed batch whole and writes it once on the next try', async () => {
    const { db } = await s.db.database()
    const { key } = await s.keys.createKey({ name: 'retried' })
    // Fails the batch at its last statement, after its request rows and rollups were written.
    await db.exec(`CREATE TRIGGER refuse_spend BEFORE UPDATE OF spent_nano_usd ON gateway_keys WHEN NEW.id = '${key.id}' BEGIN SELECT RAISE(ABORT, 'spend refused'); END`)
    for (let i = 0; i < 3; i++) s.log.recordRequest(request(`req_retried_${i}`, key.id, { createdAt: Date.UTC(2026, 10, 21, 12), costNanoUsd: 500_000_000 }))
    await expect(s.log.flushRequestLog()).rejects.toThrow('spend refused')
    expect(s.log.pendingRequestCount()).toBe(3)
    expect(await countRows('SELECT COUNT(*) AS n FROM request_log WHERE key_id = ?', key.id)).toBe(0)
    await db.exec('DROP TRIGGER refuse_spend')
    await s.log.flushRequestLog()
    expect(s.log.pendingRequestCount()).toBe(0)
    expect(await countRows('SELECT COUNT(*) AS n FROM request_log WHERE key_id = ?', key.id)).toBe(3)
    expect(await countRows('SELECT SUM(requests) AS n FROM usage_daily WHERE key_id = ?', key.id)).toBe(3)
    expect((await s.keys.getKey(key.id))!.spentNanoUsd).toBe(1_500_000_000)
  })

  it.runIf(usePostgres && !skip)('keeps working when PostgreSQL ends its idle pooled connections', async () => {
    const { db } = await s.db.database()
    await Promise.all([1, 2, 3].map(() => db.prepare('SELECT 1 AS one').all()))
    await pg!.terminateConnections()
    // The idle clients see the termination; an unhandled pool error would end the process here.
    await new Promise(r => setTimeout(r, 200))
    expect(await db.prepare('SELECT 1 AS one').all()).toEqual([{ one: 1 }])
  })

  it.skipIf(skip)('seals connection keys and credential headers, and opens them again', async () => {
    await s.conns.saveConnection({ name: 'anthropic', type: 'anthropic', preset: null, baseUrl: 'https://example.test', apiKey: 'sk-ant-storage-test-key-0123456789', headers: {} })
    await s.conns.saveConnection({ name: 'groq-eu', type: 'openai-compatible', preset: 'groq', baseUrl: null, apiKey: null, headers: { 'x-org': 'team-a', 'x-proxy-key': 'proxy-secret-0123456789' } })
    const handle = await s.db.database()
    const raw = await handle.db.prepare('SELECT api_key_enc, headers, headers_enc FROM provider_connections ORDER BY name').all() as { api_key_enc: string | null, headers: string | null, headers_enc: string | null }[]
    expect(JSON.stringify(raw)).not.toContain('sk-ant')
    expect(JSON.stringify(raw)).not.toContain('proxy-secret')
    expect(raw[1]!.headers).toBe('{"x-org":"team-a"}')
    const loaded = await s.conns.loadConnections()
    expect(loaded.find(c => c.name === 'anthropic')).toMatchObject({ type: 'anthropic', apiKey: 'sk-ant-storage-test-key-0123456789', keyHint: '6789', baseUrl: 'https://example.test', headers: {} })
    expect(loaded.find(c => c.name === 'groq-eu')).toMatchObject({ apiKey: null, keyHint: null, preset: 'groq', headers: { 'x-org': 'team-a', 'x-proxy-key': 'proxy-secret-0123456789' }, sealedHeaders: ['x-proxy-key'] })
    expect(await s.conns.deleteConnection('anthropic')).toBe(true)
    expect(await s.conns.deleteConnection('anthropic')).toBe(false)
    expect(await s.conns.deleteConnection('groq-eu')).toBe(true)
  })

  it.skipIf(skip)('keeps price history and routes', async () => {
    await s.history.recordPriceChanges([{ id: 'gpt-4o-mini', provider: 'openai', field: 'input', from: 0.15, to: 0.2 }], 'scrape', 1000)
    expect(await s.history.priceHistory('gpt-4o-mini')).toEqual([{ field: 'input', from: 0.15, to: 0.2, source: 'scrape', changedAt: new Date(1000).toISOString() }])
    await s.routes.saveRoute('smart', { strategy: 'fallback', targets: [{ model: 'gpt-4o-mini' }, { model: 'claude-haiku-4-5' }] })
    await s.routes.saveRoute('smart', { strategy: 'weighted', targets: [{ model: 'gpt-4o-mini', weight: 2 }] })
    expect(await s.routes.listStoredRoutes()).toEqual([expect.objectContaining({ name: 'smart', strategy: 'weighted', targets: [{ model: 'gpt-4o-mini', weight: 2 }] })])
    expect(await s.routes.deleteRoute('smart')).toBe(true)
  })

  it.skipIf(skip)('rolls a failed transaction back whole', async () => {
    const handle = await s.db.database()
    await expect(handle.transaction(async () => {
      await handle.db.prepare('INSERT INTO routes (name, strategy, targets, updated_at) VALUES (?, ?, ?, ?)').run('doomed', 'fallback', '[]', 1)
      throw new Error('abort')
    })).rejects.toThrow('abort')
    expect(await handle.db.prepare('SELECT name FROM routes WHERE name = ?').get('doomed')).toBeUndefined()
  })
})

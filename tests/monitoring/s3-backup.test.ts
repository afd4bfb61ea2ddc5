// Off-site backups against a local S3-compatible server (s3rver on loopback): every backup is uploaded,
// retention applies there too, `npm run restore -- s3://…` restores with the local checks, and a failed
// upload keeps the local backup and is reported and counted.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import OpenAI from 'openai'
import S3rver from 's3rver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupName } from '../../server/utils/ops/backup-names'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'
import { freePort } from '../helpers/net'
import { ROOT } from './tools'

const BUCKET = 'gateway-backups-test'
const DAY = 86_400_000

let s3rver: S3rver
let s3Dir: string
let endpoint: string
let fake: FakeOpenAI
const started: GatewayProcess[] = []
let s3: S3Client

const s3Env = (prefix: string, over: Record<string, string> = {}) => ({
  BACKUP_S3_ENDPOINT: endpoint,
  BACKUP_S3_BUCKET: BUCKET,
  // s3rver's built-in account; it checks the key id, not the SigV4 signature.
  BACKUP_S3_ACCESS_KEY_ID: 'S3RVER',
  BACKUP_S3_SECRET_ACCESS_KEY: 'S3RVER',
  BACKUP_S3_PREFIX: prefix,
  ...over,
})

async function gateway(env: Record<string, string>) {
  const gw = await startGateway({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url, ...env })
  started.push(gw)
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'backups' })).body
  return { gw, key, client: new OpenAI({ apiKey: key.key, baseURL: `${gw.url}/v1`, maxRetries: 0 }) }
}

async function keys(prefix = '') {
  const out: string[] = []
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: BUCKET, Prefix: prefix })) out.push(...(page.Contents ?? []).map(o => o.Key!))
  return out.sort()
}

const put = (Key: string, Body = 'x') => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }))

/** Runs `npm run restore` asynchronously: s3rver answers from this process. */
function restore(args: string[], dataDir: string, env: Record<string, string>): Promise<{ status: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/restore.mjs'), ...args], { env: { ...process.env, DATA_DIR: dataDir, ...env }, timeout: 30_000 })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => { stdout += d })
  child.stderr.on('data', (d) => { stderr += d })
  return new Promise(resolve => child.on('close', status => resolve({ status, stdout, stderr })))
}

async function metric(gw: GatewayProcess, name: string) {
  const text = await (await fetch(`${gw.url}/metrics`)).text()
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1])
}

beforeAll(async () => {
  s3Dir = mkdtempSync(join(tmpdir(), 'gw-s3rver-'))
  s3rver = new S3rver({ port: await freePort(), address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET }] })
  const { port } = await s3rver.run()
  endpoint = `http://127.0.0.1:${port}`
  s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })
  fake = await startFakeOpenAI()
})

afterAll(async () => {
  for (const gw of started) {
    await gw.stop()
    removeDir(gw.dataDir)
  }
  await fake?.close()
  await s3rver?.close()
  removeDir(s3Dir)
})

describe('off-site backups', () => {
  it('uploads each backup, prunes the store with the local retention, and restores from it', async () => {
    const prefix = 'team-a/gateway-backups'
    // On the store already: six recent weekdays (with today's, the 7 daily ones), a first of the month
    // (monthly), an eighth day far back that is neither a Sunday nor a first, and unrelated objects.
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate())
    const recent: string[] = []
    for (let d = 1; recent.length < 6; d++) {
      const day = new Date(today - d * DAY)
      if (day.getUTCDay() !== 0 && day.getUTCDate() !== 1) recent.push(backupName(day))
    }
    const stale = backupName(new Date(Date.UTC(2025, 5, 10)))
    const monthly = backupName(new Date(Date.UTC(2025, 0, 1)))
    for (const name of [...recent, stale, monthly]) await put(`${prefix}/${name}/config.redacted.json`)
    await put(`${prefix}/README.txt`)
    await put(`${prefix}/zz-manual-copy/gateway.db`)
    await put(`other/${stale}/gateway.db`)

    const { gw, client, key } = await gateway(s3Env(prefix))
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'before the backup' }] })
    const before = Date.now() / 1000
    const run = await gw.admin('POST', '/api/admin/tasks/db:backup')
    expect(run.status).toBe(200)
    const result = run.body.result
    expect(result.upload).toEqual({
      ok: true,
      bucket: BUCKET,
      prefix: `${prefix}/${result.name}/`,
      files: ['config.redacted.json', 'models.json', 'gateway.db'],
      pruned: [stale],
    })
    expect(existsSync(join(result.path, 'gateway.db'))).toBe(true)

    const names = new Set((await keys(`${prefix}/`)).map(k => k.slice(prefix.length + 1).split('/')[0]))
    expect([...names].sort()).toEqual([...recent, monthly, result.name, 'README.txt', 'zz-manual-copy'].sort())
    expect(await keys('other/')).toEqual([`other/${stale}/gateway.db`])
    const remoteDb = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${prefix}/${result.name}/gateway.db` }))
    expect(remoteDb.ContentLength).toBe(statSync(join(result.path, 'gateway.db')).size)
    const config = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${prefix}/${result.name}/config.redacted.json` }))).Body!.transformToString())
    expect(config.backupS3).toMatchObject({ bucket: BUCKET, prefix: `${prefix}/`, accessKeyId: '(set)', secretAccessKey: '(set)' })

    expect(await metric(gw, 'gateway_backup_last_success_timestamp_seconds')).toBeGreaterThanOrEqual(Math.floor(before))
    expect(await metric(gw, 'gateway_backup_upload_failures_total')).toBe(0)

    // A key made after the backup is gone once it is restored from the store; the earlier one stays.
    const later = (await gw.admin('POST', '/api/admin/keys', { name: 'after-backup' })).body
    await gw.stop()
    removeDir(join(gw.dataDir, 'backups'))
    const restored = await restore([`s3://${result.name}`], gw.dataDir, s3Env(prefix))
    expect(restored.status, restored.stderr).toBe(0)
    expect(restored.stdout).toContain(`downloaded s3://${BUCKET}/${prefix}/${result.name}/ (3 files)`)
    // `latest` is the newest backup that has its database (the made-up ones have none; zz-manual-copy is no backup).
    const latest = await restore(['--s3', 'latest'], gw.dataDir, s3Env(prefix))
    expect(latest.status).toBe(0)
    expect(latest.stdout).toContain(`downloaded s3://${BUCKET}/${prefix}/${result.name}/`)
    expect(readdirSync(tmpdir()).filter(n => n.startsWith('gateway-restore-'))).toEqual([])

    await gw.restart()
    const ids = (await gw.admin('GET', '/api/admin/keys')).body.data.map((k: any) => k.id)
    expect(ids).toContain(key.id)
    expect(ids).not.toContain(later.id)
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'after restore' }] })
  }, 60_000)

  it('restoring from the store checks the database like a local restore, and names a missing backup', async () => {
    const prefix = 'corrupt'
    const name = backupName(new Date(Date.UTC(2026, 0, 5)))
    await put(`${prefix}/${name}/gateway.db`, 'this is not an SQLite database, only text pretending to be one')
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-restore-'))
    const bad = await restore([`s3://${name}`], dataDir, s3Env(prefix))
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/restore: .*(integrity|not a database)/)
    expect(existsSync(join(dataDir, 'gateway.db'))).toBe(false)
    const missing = await restore(['s3://2020-01-01T00-00-00Z'], dataDir, s3Env(prefix))
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain(`no backup at s3://${BUCKET}/${prefix}/2020-01-01T00-00-00Z/`)
    const unconfigured = await restore(['--s3', name], dataDir, { BACKUP_S3_BUCKET: '' })
    expect(unconfigured.status).toBe(1)
    expect(unconfigured.stderr).toMatch(/needs BACKUP_S3_ENDPOINT, BACKUP_S3_BUCKET/)
    removeDir(dataDir)
  })

  it.each([
    ['an unknown access key', { BACKUP_S3_ACCESS_KEY_ID: 'NOT-A-KEY' }, /Access Key Id/],
    ['the store down', { BACKUP_S3_ENDPOINT: 'http://127.0.0.1:9' }, /ECONNREFUSED|connect/],
    ['an incomplete configuration', { BACKUP_S3_SECRET_ACCESS_KEY: '' }, /^BACKUP_S3_SECRET_ACCESS_KEY not set$/],
  ])('with %s the backup is kept locally, and the failed upload is reported, logged and counted', async (_, over, error) => {
    const prefix = `failing-${Object.keys(over)[0]}`
    const { gw } = await gateway(s3Env(prefix, over))
    const run = await gw.admin('POST', '/api/admin/tasks/db:backup')
    expect(run.status).toBe(200)
    const result = run.body.result
    expect(result.upload).toEqual({ ok: false, error: expect.stringMatching(error) })
    expect(readdirSync(result.path).sort()).toEqual(['config.redacted.json', 'gateway.db', 'models.json'])
    expect(gw.output()).toContain(`[backup] upload of ${result.name} to S3 failed, the local backup is kept`)
    expect(await metric(gw, 'gateway_backup_upload_failures_total')).toBe(1)
    expect(await metric(gw, 'gateway_backup_last_success_timestamp_seconds')).toBeGreaterThan(0)
    expect(await keys(`${prefix}/`)).toEqual([])
    expect(gw.output()).not.toContain('S3RVER')
  }, 60_000)

  it('after a restart the last-backup time comes from the newest backup on disk', async () => {
    const { gw } = await gateway({})
    expect(await metric(gw, 'gateway_backup_last_success_timestamp_seconds')).toBe(0)
    const { result } = (await gw.admin('POST', '/api/admin/tasks/db:backup')).body
    expect(result.upload).toBeUndefined()
    await gw.restart()
    const written = statSync(join(result.path, 'gateway.db')).mtimeMs / 1000
    expect(await metric(gw, 'gateway_backup_last_success_timestamp_seconds')).toBeCloseTo(written, 0)
  })
})

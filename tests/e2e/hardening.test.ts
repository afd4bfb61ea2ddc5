// What the gateway keeps on disk is private to its user, and credentialed outbound calls never follow
// a redirect (the credential would go wherever the redirect points).
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import OpenAI from 'openai'
import { afterAll, describe, expect, it } from 'vitest'
import { buildSeedRegistry } from '../../server/utils/registry/seed'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'
import { listenOnLoopback } from '../helpers/net'

const started: GatewayProcess[] = []
const closers: (() => Promise<void>)[] = []

afterAll(async () => {
  for (const gw of started) {
    await gw.stop()
    removeDir(gw.dataDir)
  }
  for (const close of closers) await close()
})

/** A loopback server that records what reached it and answers with `answer`. */
async function recordingServer(answer: (res: import('node:http').ServerResponse, path: string) => void) {
  const seen: { path: string, headers: IncomingHttpHeaders }[] = []
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers })
    req.resume()
    req.on('end', () => answer(res, req.url ?? ''))
  })
  const { url, close } = await listenOnLoopback(server)
  closers.push(close)
  return { url, seen }
}

/** Every path under `dir` with its permission bits. */
function modes(dir: string): { path: string, mode: number, dir: boolean }[] {
  const out: { path: string, mode: number, dir: boolean }[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const st = statSync(path)
    out.push({ path, mode: st.mode & 0o777, dir: st.isDirectory() })
    if (st.isDirectory()) out.push(...modes(path))
  }
  return out
}

describe('DATA_DIR permissions', () => {
  it('makes DATA_DIR 0700 and every file in it 0600, tightening what was looser, and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-modes-'))
    chmodSync(dataDir, 0o755)
    writeFileSync(join(dataDir, 'left-by-an-older-version.json'), '{}', { mode: 0o644 })
    chmodSync(join(dataDir, 'left-by-an-older-version.json'), 0o644)
    // The umask of the process that starts the gateway is the usual one, not a private one.
    const gw = await startGateway({}, { dataDir })
    started.push(gw)
    // Touch everything that writes there: a key (database and WAL), the registry, a backup.
    expect((await gw.admin('POST', '/api/admin/keys', { name: 'modes' })).status).toBe(201)
    expect((await gw.admin('POST', '/api/admin/tasks/db:backup')).status).toBe(200)

    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    const all = modes(dataDir)
    expect(all.map(p => p.path)).toEqual(expect.arrayContaining([join(dataDir, 'gateway.db'), join(dataDir, 'secrets.json'), join(dataDir, 'backups')]))
    expect(all.some(p => p.path.endsWith('gateway.db-wal'))).toBe(true)
    for (const p of all) expect({ path: p.path, mode: p.mode.toString(8) }).toEqual({ path: p.path, mode: p.dir ? '700' : '600' })
    expect(gw.output()).toMatch(/tightened 2 path\(s\) that other users could read/)
  })
})

describe('credentialed calls and redirects', () => {
  it('answers an upstream redirect with 502 upstream_redirect and never sends the credential on', async () => {
    const elsewhere = await recordingServer(res => res.end('{}'))
    const provider = await recordingServer((res) => {
      res.writeHead(307, { location: `${elsewhere.url}/v1/chat/completions` })
      res.end()
    })
    const gw = await startGateway({ OPENAI_API_KEY: 'sk-redirect-test-provider-key-0123456789', OPENAI_BASE_URL: `${provider.url}/v1`, UPSTREAM_MAX_RETRIES: '0' })
    started.push(gw)
    const key = (await gw.admin('POST', '/api/admin/keys', { name: 'redirect' })).body
    const client = new OpenAI({ apiKey: key.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch(e => e)
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(error.status).toBe(502)
    expect(error.code).toBe('upstream_redirect')
    expect(error.message).not.toContain(elsewhere.url)
    expect(provider.seen).toHaveLength(1)
    expect(elsewhere.seen).toHaveLength(0)
  })

  it('does not follow a cross-origin redirect of the model-list lookup with the Anthropic key', async () => {
    const FIXTURES = resolve(__dirname, '../fixtures/pricing')
    const pages = {
      openai: readFileSync(join(FIXTURES, 'openai.md'), 'utf8'),
      anthropic: readFileSync(join(FIXTURES, 'anthropic.md'), 'utf8'),
      google: readFileSync(join(FIXTURES, 'google.md.txt'), 'utf8'),
    }
    // A model the alias table does not know, so the update asks the model list for its id.
    const anthropicPage = pages.anthropic.replace('| Claude Haiku 4.5 |', '| Claude Nova 9 | $2 / MTok | $2.50 / MTok | $4 / MTok | $0.20 / MTok | $9 / MTok |\n| Claude Haiku 4.5 |')
    const elsewhere = await recordingServer(res => res.end(JSON.stringify({ data: [{ id: 'claude-nova-9', display_name: 'Claude Nova 9' }] })))
    const site = await recordingServer((res, path) => {
      if (path.startsWith('/v1/models')) {
        res.writeHead(302, { location: `${elsewhere.url}${path}` })
        return void res.end()
      }
      const body = { '/openai.md': pages.openai, '/anthropic.md': anthropicPage, '/google.md.txt': pages.google }[path]
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/markdown' })
      res.end(body ?? 'not here')
    })
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-redirect-'))
    mkdirSync(join(dataDir, 'registry'))
    writeFileSync(join(dataDir, 'registry', 'models.json'), JSON.stringify(buildSeedRegistry(pages, new Date().toISOString())))
    const gw = await startGateway({
      ANTHROPIC_API_KEY: 'sk-ant-redirect-test-key-0123456789',
      ANTHROPIC_BASE_URL: site.url,
      REGISTRY_OPENAI_URL: `${site.url}/openai.md`,
      REGISTRY_ANTHROPIC_URL: `${site.url}/anthropic.md`,
      REGISTRY_GOOGLE_URL: `${site.url}/google.md.txt`,
    }, { dataDir })
    started.push(gw)
    const summary = (await gw.admin('POST', '/api/admin/update-registry')).body
    expect(site.seen.filter(s => s.path.startsWith('/v1/models'))).toHaveLength(1)
    expect(elsewhere.seen).toHaveLength(0)
    // Without the model list the new name stays unknown, and the update says why.
    expect(summary.failed.anthropic).toMatch(/no API id for "Claude Nova 9"/)
    expect(gw.output()).toMatch(/model list answered with a redirect \(HTTP 302\)/)
  })
})

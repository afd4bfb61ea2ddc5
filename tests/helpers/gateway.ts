// Starts the built gateway (.output) as a child process on a random loopback port with its own
// DATA_DIR, and reads the admin key it prints on first start (and the set-up token of each start).
// The first start listens on port 0 and reads the port the system chose from the server's own
// "Listening on" line: a port picked beforehand and freed could be taken by a parallel test before
// the gateway binds it.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serverEntry } from '../../scripts/build-if-stale.mjs'

export interface GatewayProcess {
  url: string
  adminKey: string
  /** The dashboard set-up token printed by the latest start (empty when none was). */
  setupToken: string
  dataDir: string
  output: () => string
  /** Resolves once the process has printed a line matching `pattern` (the access log is written in batches). */
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<void>
  admin: <T = any>(method: string, path: string, body?: unknown) => Promise<{ status: number, body: T }>
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
  restart: () => Promise<void>
}

const SCRUBBED = /^(OPENAI|ANTHROPIC|GEMINI)_|^(DATABASE_URL|REDIS_URL|ADMIN_API_KEY|ADMIN_EMAIL|ADMIN_PASSWORD|ENCRYPTION_KEY|SECRET_KEY|PUBLIC_HOSTS|GATEWAY_DOMAIN|METRICS_TOKEN|TRUST_PROXY|DATA_DIR|PORT|HOST|NITRO_.*)$/

export async function startGateway(env: Record<string, string> = {}, opts: { dataDir?: string } = {}): Promise<GatewayProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'gw-test-'))
  let port = 0
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SCRUBBED.test(k)))
  let child: ChildProcess
  let out = ''
  let adminKey = env.ADMIN_API_KEY ?? ''
  let launchedAt = 0

  async function launch() {
    // A restart binds the port of the first start again; the port it just let go may be caught by
    // another process's outgoing connection for a moment.
    for (let attempt = 1; ; attempt++) {
      try {
        return await launchOnce()
      }
      catch (error) {
        if (port === 0 || attempt === 5 || !/EADDRINUSE/.test(out.slice(launchedAt))) throw error
        await new Promise(r => setTimeout(r, 200))
      }
    }
  }

  async function launchOnce() {
    launchedAt = out.length
    child = spawn(process.execPath, [serverEntry], {
      // Tests send more than a person would: the per-IP limit is raised unless a test sets it.
      env: { ...baseEnv, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '100000', REGISTRY_CRON: 'off', BACKUP_CRON: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout!.on('data', (d) => { out += d })
    child.stderr!.on('data', (d) => { out += d })
    const deadline = Date.now() + 20_000
    let listening: RegExpExecArray | null = null
    while (!(listening = /Listening on https?:\/\/\S*:(\d+)/.exec(out.slice(launchedAt)))) {
      if (child.exitCode !== null) throw new Error(`gateway exited early (${child.exitCode}):\n${out}`)
      if (Date.now() > deadline) throw new Error(`gateway did not listen within 20 s:\n${out}`)
      await new Promise(r => setTimeout(r, 50))
    }
    port = Number(listening[1])
    while (!await fetch(`http://127.0.0.1:${port}/health`).then(r => r.ok, () => false)) {
      if (child.exitCode !== null) throw new Error(`gateway exited early (${child.exitCode}):\n${out}`)
      if (Date.now() > deadline) throw new Error(`gateway not healthy within 20 s:\n${out}`)
      await new Promise(r => setTimeout(r, 100))
    }
    adminKey ||= /sk-admin-[\w-]+/.exec(out)?.[0] ?? ''
    if (!adminKey) throw new Error(`no admin key printed:\n${out}`)
  }
  await launch()

  const url = `http://127.0.0.1:${port}`
  return {
    url,
    get adminKey() { return adminKey },
    get setupToken() { return /gw-setup-[\w-]+/.exec(out.slice(launchedAt))?.[0] ?? '' },
    dataDir,
    output: () => out,
    async waitForOutput(pattern, timeoutMs = 5_000) {
      for (const deadline = Date.now() + timeoutMs; !pattern.test(out); await new Promise(r => setTimeout(r, 20))) {
        if (Date.now() > deadline) throw new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${out}`)
      }
    },
    async admin(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'authorization': `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : undefined }
    },
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
        child.once('exit', code => resolve(code))
        child.kill(signal)
      })
    },
    async restart() {
      await this.stop()
      await launch()
    },
  } as GatewayProcess
}

/**
 * The request-log row of a request (by its x-request-id), once it is written: rows are written in
 * batches after the answer, so it is asked for again until it is there.
 */
export async function requestRow(gw: GatewayProcess, requestId: string | null, attempts = 100): Promise<any> {
  for (let i = 0; i < attempts; i++) {
    const row = (await gw.admin('GET', '/api/admin/requests?limit=200')).body.data.find((r: any) => r.id === requestId)
    if (row) return row
    await new Promise(r => setTimeout(r, 50))
  }
  throw new Error(`no request row ${requestId}`)
}

/** Every file under `dir`, recursively, as raw bytes joined into one latin1 string for searching. */
export function readAllFiles(dir: string): string {
  let text = ''
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    text += statSync(path).isDirectory() ? readAllFiles(path) : readFileSync(path).toString('latin1')
  }
  return text
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true })
}

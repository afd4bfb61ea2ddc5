// The gateway's admin surface as an attacker meets it, against the built server: dashboard pages and
// the admin API answer only to allowed host names (DNS rebinding), while /v1 and the probes answer to
// any; unknown /api and /v1 paths are JSON 404s in each API's shape for every method; /metrics is not
// open to the network without METRICS_TOKEN.
import { request } from 'node:http'
import { networkInterfaces } from 'node:os'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

const DASHBOARD = { 'x-requested-with': 'gateway-dashboard' }
const FOREIGN = 'rebound.attacker.example'

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, text: string, json: () => any }

/** An HTTP request with any Host header (fetch does not let a caller set one). */
function send(url: string, opts: { method?: string, host?: string, headers?: Record<string, string>, body?: unknown } = {}): Promise<Answer> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body)
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: opts.method ?? 'GET',
      headers: {
        ...(opts.host ? { host: opts.host } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        ...opts.headers,
      },
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { text += d })
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const started: GatewayProcess[] = []
async function gateway(env: Record<string, string> = {}) {
  const gw = await startGateway(env)
  started.push(gw)
  return gw
}

afterAll(async () => {
  for (const gw of started) {
    await gw.stop()
    removeDir(gw.dataDir)
  }
})

describe('host names the dashboard and admin API answer to', () => {
  let gw: GatewayProcess
  let appKey: string
  const bearer = () => ({ authorization: `Bearer ${gw.adminKey}` })

  beforeAll(async () => {
    gw = await gateway({ PUBLIC_HOSTS: 'gateway.example.com, admin.example.net:8443,https://typo.example/', GATEWAY_DOMAIN: 'llm.example.org', TRUST_PROXY: 'true' })
    appKey = (await gw.admin('POST', '/api/admin/keys', { name: 'any-host' })).body.key
  })

  it('refuses another name with 421 on set-up, the admin API and dashboard pages, naming PUBLIC_HOSTS; /v1 and the probes answer', async () => {
    // What a page on another site gets through DNS rebinding: its own name as Host, and as Origin.
    const setup = await send(`${gw.url}/api/auth/setup`, {
      method: 'POST',
      host: FOREIGN,
      headers: { ...DASHBOARD, origin: `http://${FOREIGN}` },
      body: { email: 'attacker@example.com', password: 'the attacker password', token: gw.setupToken },
    })
    expect(setup.status).toBe(421)
    expect(setup.json().error).toMatchObject({ type: 'invalid_request_error', code: 'host_not_allowed', message: expect.stringContaining('PUBLIC_HOSTS') })
    expect(setup.json().error.message).toContain(FOREIGN)

    const keys = await send(`${gw.url}/api/admin/keys`, { host: FOREIGN, headers: bearer() })
    expect(keys.status).toBe(421)
    expect(keys.json().error.code).toBe('host_not_allowed')
    expect(keys.text).not.toContain('sk-gw-')

    for (const page of ['/', '/keys', '/setup']) {
      const res = await send(`${gw.url}${page}`, { host: FOREIGN })
      expect(res.status, page).toBe(421)
      expect(res.headers['content-type']).toMatch(/^text\/plain/)
      expect(res.text).toContain('PUBLIC_HOSTS')
      expect(res.text).not.toMatch(/<html/i)
    }
    // Set-up is still open: nothing was created.
    expect((await send(`${gw.url}/api/auth/setup`)).json()).toEqual({ required: true })

    // API clients and monitors reach the gateway by whatever name they have.
    const models = await send(`${gw.url}/v1/models`, { host: FOREIGN, headers: { authorization: `Bearer ${appKey}` } })
    expect(models.status).toBe(200)
    expect(models.json().object).toBe('list')
    for (const probe of ['/health', '/live', '/ready', '/metrics']) expect((await send(`${gw.url}${probe}`, { host: FOREIGN })).status, probe).toBe(200)
  })

  it('answers to the loopback names on any port, GATEWAY_DOMAIN, and PUBLIC_HOSTS (on the port given, if any)', async () => {
    const allowed = ['localhost', 'LOCALHOST:1234', 'localhost.', '127.0.0.1:9', '[::1]:3000', 'gateway.example.com', 'Gateway.Example.com:8080', 'llm.example.org', 'admin.example.net:8443']
    const refused = ['admin.example.net', 'admin.example.net:443', 'gateway.example.com.attacker.example', 'localhost.attacker.example', '127.0.0.2', '[::2]']
    for (const host of allowed) expect((await send(`${gw.url}/api/admin/keys`, { host, headers: bearer() })).status, host).toBe(200)
    for (const host of refused) expect((await send(`${gw.url}/api/admin/keys`, { host, headers: bearer() })).status, host).toBe(421)
    // An entry that is not a host name is ignored, and the log says so.
    expect((await send(`${gw.url}/api/admin/keys`, { host: 'typo.example', headers: bearer() })).status).toBe(421)
    expect(gw.output()).toContain('PUBLIC_HOSTS/GATEWAY_DOMAIN entry "https://typo.example/" ignored')
  })

  it('behind a trusted proxy, checks the X-Forwarded-Host the proxy sends instead of Host', async () => {
    const forwarded = (name: string) => send(`${gw.url}/api/admin/keys`, { headers: { ...bearer(), 'x-forwarded-host': name } })
    expect((await forwarded(FOREIGN)).status).toBe(421)
    expect((await forwarded('gateway.example.com')).status).toBe(200)
    expect((await send(`${gw.url}/api/admin/keys`, { host: FOREIGN, headers: { ...bearer(), 'x-forwarded-host': 'llm.example.org' } })).status).toBe(200)
  })
})

describe('unknown paths and methods', () => {
  let gw: GatewayProcess
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']

  beforeAll(async () => {
    gw = await gateway()
  })

  /** A JSON 404 (HEAD: no body) whose parsed body `shape` checks. */
  async function expectJson404(method: string, path: string, shape: (body: any) => void) {
    const res = await send(`${gw.url}${path}`, { method, headers: { authorization: `Bearer ${gw.adminKey}` }, body: method === 'GET' || method === 'HEAD' ? undefined : {} })
    expect(res.status, `${method} ${path}`).toBe(404)
    expect(res.headers['content-type'], `${method} ${path}`).toBe('application/json')
    if (method === 'HEAD') return expect(res.text).toBe('')
    shape(res.json())
  }

  const openAIShape = (method: string, path: string) => (body: any) =>
    expect(body).toEqual({ error: { message: `Unknown request URL: ${method} ${path.split('?')[0]}.`, type: 'invalid_request_error', param: null, code: 'unknown_url' } })
  const anthropicShape = (method: string, path: string) => (body: any) =>
    expect(body).toEqual({ type: 'error', error: { type: 'not_found_error', message: `Unknown request URL: ${method} ${path}.` } })

  it('answers an unknown /api or /v1 path with a JSON 404 in OpenAI\'s shape, for every method', async () => {
    for (const method of METHODS) {
      for (const path of ['/api/nope', '/api/admin/nope', '/api/admin/keys/key_x/extra', '/api/auth/nope', '/v1/nope', '/v1/chat/nope?secret=abc']) {
        await expectJson404(method, path, openAIShape(method, path))
      }
    }
  })

  it('answers a known path asked with a method it does not take with a JSON 404, not the dashboard', async () => {
    for (const [method, path] of [['PUT', '/api/admin/keys'], ['DELETE', '/api/auth/login'], ['PATCH', '/api/auth/setup'], ['HEAD', '/api/admin/providers/openai'], ['GET', '/v1/chat/completions'], ['DELETE', '/v1/embeddings'], ['POST', '/v1/models']] as const) {
      await expectJson404(method, path, openAIShape(method, path))
    }
  })

  it('answers under /v1/messages in Anthropic\'s shape, which its SDK raises as NotFoundError', async () => {
    for (const method of METHODS) {
      await expectJson404(method, '/v1/messages/nope', anthropicShape(method, '/v1/messages/nope'))
      if (method !== 'POST') await expectJson404(method, '/v1/messages', anthropicShape(method, '/v1/messages'))
    }
    const anthropic = new Anthropic({ apiKey: 'sk-gw-anything', baseURL: gw.url, maxRetries: 0 })
    await expect(anthropic.get('/v1/messages/nope')).rejects.toBeInstanceOf(Anthropic.NotFoundError)
    const openai = new OpenAI({ apiKey: 'sk-gw-anything', baseURL: `${gw.url}/v1`, maxRetries: 0 })
    await expect(openai.get('/nope')).rejects.toMatchObject({ status: 404, code: 'unknown_url' })
  })
})

/** This machine's first non-loopback IPv4 address: connections to it do not come from loopback. */
const lanAddress = Object.values(networkInterfaces()).flat().find(i => i && i.family === 'IPv4' && !i.internal)?.address
if (!lanAddress) console.warn('[admin-security] no non-loopback address: the /metrics network tests are skipped')

describe.skipIf(!lanAddress)('/metrics from the network', () => {
  const lanUrl = (gw: GatewayProcess) => gw.url.replace('127.0.0.1', lanAddress!)

  it('serves the network only with METRICS_TOKEN: without it, loopback connections only, whatever X-Forwarded-For says', async () => {
    const open = await gateway({ HOST: '0.0.0.0', TRUST_PROXY: 'true' })
    const local = await send(`${open.url}/metrics`)
    expect(local.status).toBe(200)
    expect(local.text).toContain('gateway_requests_total')
    for (const headers of [{}, { 'x-forwarded-for': '127.0.0.1' }] as Record<string, string>[]) {
      const remote = await send(`${lanUrl(open)}/metrics`, { headers })
      expect(remote.status).toBe(403)
      expect(remote.text).toContain('METRICS_TOKEN')
      expect(remote.text).not.toContain('gateway_')
    }

    // With a token (the monitoring stack's Prometheus scrapes over the compose network), any address that sends it.
    const token = await gateway({ HOST: '0.0.0.0', METRICS_TOKEN: 'metrics-token-for-the-network' })
    const scraped = await send(`${lanUrl(token)}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-the-network' } })
    expect(scraped.status).toBe(200)
    expect(scraped.text).toContain('gateway_requests_total')
    expect((await send(`${lanUrl(token)}/metrics`)).status).toBe(401)
    expect((await send(`${token.url}/metrics`)).status).toBe(401)
  })
})

// Hostile request bodies against the built server: over-deep, over-wide and oversized JSON on every
// route family that reads a body (/v1, /v1/messages, the admin API, the sign-in API) is refused in
// its dialect's shape while other clients keep being answered; and trickled requests are cut by the
// configured timeouts, while long responses are not.
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeAnthropic, startFakeAnthropic } from '../helpers/fake-anthropic'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

const MiB = 1024 * 1024
const DASHBOARD = { 'x-requested-with': 'gateway-dashboard' }
const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }] }

interface Answer { status: number, body: any }

/** A body of `size` bytes: `head`, then `fill` repeated, then `tail`, produced 1 MiB at a time. */
function* hostileBody(head: string, fill: string, tail: string, size: number): Generator<Buffer> {
  const block = Buffer.from(fill.repeat(Math.ceil(MiB / fill.length)))
  yield Buffer.from(head)
  for (let left = size - head.length - tail.length; left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left)
  yield Buffer.from(tail)
}
const deepBody = (head: string, size: number) => hostileBody(head, '[', '', size)
const wideBody = (head: string, size: number) => hostileBody(`${head}[`, '0,', '0]}', size)

// Keep-alive, as the SDKs' clients: the gateway then reads and drops the rest of a refused body
// for a moment instead of closing at once, so a client still sending gets to read the answer.
const keepAlive = new Agent({ keepAlive: true })

/**
 * POSTs a streamed body (with content-length unless `length` is undefined: chunked) and resolves
 * with the answer as soon as it comes, whether or not the server read the whole body.
 */
function post(url: string, path: string, body: Iterable<Buffer>, length: number | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: 'POST',
      agent: keepAlive,
      headers: { 'content-type': 'application/json', ...(length === undefined ? {} : { 'content-length': String(length) }), ...headers },
    })
    let answered = false
    req.on('response', (res) => {
      answered = true
      let text = ''
      res.setEncoding('utf8').on('data', (d) => { text += d }).on('end', () => {
        req.destroy()
        resolve({ status: res.statusCode!, body: JSON.parse(text) })
      })
    })
    // Writes after the server has answered and closed fail; only an error before the answer counts.
    req.on('error', (error) => { if (!answered) reject(error) })
    const chunks = body[Symbol.iterator]()
    const pump = () => {
      while (!answered) {
        const next = chunks.next()
        if (next.done) return void req.end()
        if (!req.write(next.value)) return void req.once('drain', pump)
      }
    }
    pump()
  })
}

const sizeOf = (body: Iterable<Buffer>) => [...body].reduce((n, b) => n + b.length, 0)

/** Measures the latency of /health and of a chat completion, one after the other, until stopped. */
function probe(gw: GatewayProcess, apiKey: string) {
  const latencies: { health: number[], chat: number[] } = { health: [], chat: [] }
  let running = true
  const timed = async (into: number[], call: () => Promise<Response>) => {
    const t0 = performance.now()
    const res = await call()
    await res.arrayBuffer()
    into.push(performance.now() - t0)
    expect(res.status).toBe(200)
  }
  const loop = (async () => {
    while (running) {
      await timed(latencies.health, () => fetch(`${gw.url}/health`))
      await timed(latencies.chat, () => fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'authorization': `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(CHAT),
      }))
      await new Promise(r => setTimeout(r, 10))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return latencies
    },
  }
}

describe('hostile bodies', () => {
  let fake: FakeOpenAI
  let anthropicFake: FakeAnthropic
  let gw: GatewayProcess
  let key: string
  const v1 = () => ({ authorization: `Bearer ${key}` })
  const admin = () => ({ authorization: `Bearer ${gw.adminKey}` })

  beforeAll(async () => {
    ;[fake, anthropicFake] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()])
    // /v1's cap is above the 30 MiB bodies, so what refuses them there is the shape check.
    gw = await startGateway({
      OPENAI_API_KEY: fake.apiKey,
      OPENAI_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: anthropicFake.apiKey,
      ANTHROPIC_BASE_URL: anthropicFake.url,
      MAX_BODY_BYTES: String(64 * MiB),
    })
    key = (await gw.admin('POST', '/api/admin/keys', { name: 'app' })).body.key
  })

  afterAll(async () => {
    await gw?.stop()
    await Promise.all([fake?.close(), anthropicFake?.close()])
    if (gw) removeDir(gw.dataDir)
  })

  it('refuses 30 MiB deep and wide bodies on every route family while /health and a chat answer within 200 ms', async () => {
    const chatHead = `${JSON.stringify(CHAT).slice(0, -1)},"metadata":`
    const messagesHead = `${JSON.stringify({ ...CHAT, max_tokens: 5 }).slice(0, -1)},"metadata":`
    const cases: { path: string, headers: Record<string, string>, body: () => Iterable<Buffer>, status: number, shape: 'openai' | 'anthropic', code?: string }[] = [
      { path: '/v1/chat/completions', headers: v1(), body: () => deepBody(chatHead, 30 * MiB), status: 400, shape: 'openai', code: 'json_too_deep' },
      { path: '/v1/chat/completions', headers: v1(), body: () => wideBody(chatHead, 30 * MiB), status: 400, shape: 'openai', code: 'json_too_complex' },
      { path: '/v1/messages', headers: v1(), body: () => deepBody(messagesHead, 30 * MiB), status: 400, shape: 'anthropic' },
      { path: '/v1/messages', headers: v1(), body: () => wideBody(messagesHead, 30 * MiB), status: 400, shape: 'anthropic' },
      { path: '/api/auth/login', headers: DASHBOARD, body: () => deepBody('{"email":', 30 * MiB), status: 413, shape: 'openai', code: 'request_too_large' },
      { path: '/api/auth/login', headers: DASHBOARD, body: () => wideBody('{"email":', 30 * MiB), status: 413, shape: 'openai', code: 'request_too_large' },
      { path: '/api/admin/keys', headers: admin(), body: () => deepBody('{"name":', 30 * MiB), status: 413, shape: 'openai', code: 'request_too_large' },
      { path: '/api/admin/keys', headers: admin(), body: () => wideBody('{"name":', 30 * MiB), status: 413, shape: 'openai', code: 'request_too_large' },
      // Under their caps, the sign-in and admin bodies meet the shape check too.
      { path: '/api/auth/login', headers: DASHBOARD, body: () => deepBody('{"email":', 4096), status: 400, shape: 'openai', code: 'json_too_deep' },
      { path: '/api/admin/keys', headers: admin(), body: () => deepBody('{"name":', 512 * 1024), status: 400, shape: 'openai', code: 'json_too_deep' },
    ]
    const watch = probe(gw, key)
    let latencies: Awaited<ReturnType<typeof watch.stop>>
    try {
      // The probe is warm (connections open) before the first hostile body.
      await new Promise(r => setTimeout(r, 200))
      for (const c of cases) {
        const res = await post(gw.url, c.path, c.body(), sizeOf(c.body()), c.headers)
        const label = `${c.path} ${c.code ?? c.status}`
        expect(res.status, label).toBe(c.status)
        if (c.shape === 'openai') expect(res.body, label).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: c.code } })
        else expect(res.body, label).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/JSON body/) } })
      }
    }
    finally {
      latencies = await watch.stop()
    }
    expect(latencies.health.length).toBeGreaterThan(3)
    expect(Math.max(...latencies.health), 'slowest /health (ms)').toBeLessThan(200)
    expect(Math.max(...latencies.chat), 'slowest chat (ms)').toBeLessThan(200)

    // What a legitimate large body holds (quotes, backslashes, brackets in strings, unicode) passes.
    const messages = Array.from({ length: 1000 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i} "quoted" \\ [brackets] {braces}, ünïcödé ✓ `.repeat(80) }))
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { ...v1(), 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages }) })
    expect(res.status).toBe(200)
    expect(fake.requests.at(-1)!.body.messages).toEqual(messages)
  })

  it('answers a 153 MiB sign-in body with 413 at once, declared or chunked, and stays small', async () => {
    const rss = async () => Number(/^process_resident_memory_bytes (\d+)/m.exec(await (await fetch(`${gw.url}/metrics`)).text())![1])
    const before = await rss()
    const size = 153 * MiB
    for (const length of [size, undefined]) {
      const t0 = performance.now()
      const res = await post(gw.url, '/api/auth/login', deepBody('{"email":', size), length, DASHBOARD)
      expect(res.status).toBe(413)
      expect(res.body.error.code).toBe('request_too_large')
      expect(performance.now() - t0).toBeLessThan(2000)
    }
    expect((await fetch(`${gw.url}/health`)).status).toBe(200)
    expect(await rss() - before).toBeLessThan(64 * MiB)
  })

  it('refuses with 400 the nesting that a translation to another provider would fail to re-serialise', async () => {
    // 20,000 levels in 200 KB: JSON.parse takes them, JSON.stringify of the translated request overflows
    // the stack (and so would this test's: the bodies are written as text).
    const schema = `${'{"items":'.repeat(20_000)}{}${'}'.repeat(20_000)}`
    const withTools = (body: object, tools: string) => `${JSON.stringify(body).slice(0, -1)},"tools":${tools}}`
    const post = (path: string, body: string) => fetch(`${gw.url}${path}`, { method: 'POST', headers: { ...v1(), 'content-type': 'application/json' }, body })
    const chat = await post('/v1/chat/completions', withTools({ ...CHAT, model: 'claude-haiku-4-5' }, `[{"type":"function","function":{"name":"deep","parameters":${schema}}}]`))
    expect(chat.status).toBe(400)
    expect((await chat.json()).error).toMatchObject({ type: 'invalid_request_error', param: null, code: 'json_too_deep' })
    const messages = await post('/v1/messages', withTools({ ...CHAT, max_tokens: 5 }, `[{"name":"deep","input_schema":${schema}}]`))
    expect(messages.status).toBe(400)
    expect(await messages.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/nests deeper/) } })
  })
})

/** Opens a raw connection, writes `head` then `trickle` one piece every `everyMs`; resolves with what came back when the server closes it. */
function rawExchange(url: string, head: string, trickle: { pieces: number, everyMs: number } = { pieces: 0, everyMs: 0 }): Promise<{ text: string, ms: number }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    let text = ''
    const socket = connect(Number(port), hostname, () => socket.write(head))
    let sent = 0
    const timer = trickle.pieces
      ? setInterval(() => {
          if (sent++ < trickle.pieces && socket.writable) socket.write('x')
        }, trickle.everyMs)
      : undefined
    socket.setEncoding('utf8').on('data', (d) => { text += d })
    socket.on('close', () => {
      clearInterval(timer)
      resolve({ text, ms: performance.now() - t0 })
    })
    socket.on('error', () => {})
    // A server that never cuts the connection fails the test here, not at the test timeout.
    setTimeout(() => {
      socket.destroy()
      reject(new Error(`the server kept the connection open (received: ${JSON.stringify(text)})`))
    }, 8000).unref()
  })
}

describe('server timeouts', () => {
  let fake: FakeOpenAI
  let gw: GatewayProcess
  let key: string
  const host = () => new URL(gw.url).host

  beforeAll(async () => {
    fake = await startFakeOpenAI()
    gw = await startGateway({
      OPENAI_API_KEY: fake.apiKey,
      OPENAI_BASE_URL: fake.url,
      REQUEST_BODY_TIMEOUT_MS: '300',
      HEADERS_TIMEOUT_MS: '500',
      REQUEST_TIMEOUT_MS: '1500',
    })
    key = (await gw.admin('POST', '/api/admin/keys', { name: 'app' })).body.key
  })

  afterAll(async () => {
    await gw?.stop()
    await fake?.close()
    if (gw) removeDir(gw.dataDir)
  })

  const partial = (path: string, headers: Record<string, string>, body: string, length: number) =>
    `POST ${path} HTTP/1.1\r\nhost: ${host()}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`

  it('answers a body that stops arriving with 408 after REQUEST_BODY_TIMEOUT_MS, then closes the connection', async () => {
    const start = '{"model":"gpt-4o-mini","messages":['
    const routes = [
      { path: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, body: { error: { message: expect.any(String), type: 'timeout_error', param: null, code: 'request_timeout' } } },
      { path: '/v1/messages', headers: { authorization: `Bearer ${key}` }, body: { type: 'error', error: { type: 'timeout_error', message: expect.any(String) } } },
      { path: '/api/auth/login', headers: DASHBOARD, body: { error: { message: expect.any(String), type: 'timeout_error', param: null, code: 'request_timeout' } } },
    ]
    for (const route of routes) {
      const { text, ms } = await rawExchange(gw.url, partial(route.path, route.headers, start, 1000))
      expect(text, route.path).toMatch(/^HTTP\/1\.1 408 /)
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)), route.path).toEqual(route.body)
      expect(text.toLowerCase(), route.path).toContain('connection: close')
      expect(ms, route.path).toBeGreaterThanOrEqual(290)
    }
  })

  it('cuts headers that stop arriving after HEADERS_TIMEOUT_MS', async () => {
    const { text, ms } = await rawExchange(gw.url, `GET /health HTTP/1.1\r\nhost: ${host()}\r\nx-slow: `)
    expect(text).toMatch(/^HTTP\/1\.1 408 /)
    expect(ms).toBeGreaterThanOrEqual(490)
  })

  it('cuts a request still arriving after REQUEST_TIMEOUT_MS, but not a response that takes longer', async () => {
    // One byte every 100 ms never leaves the body idle for 300 ms: only the whole-request timeout ends it.
    const { text, ms } = await rawExchange(gw.url, partial('/v1/chat/completions', { authorization: `Bearer ${key}` }, '{', 1000), { pieces: 1000, everyMs: 100 })
    expect(text).toMatch(/^HTTP\/1\.1 408 /)
    expect(ms).toBeGreaterThanOrEqual(1490)

    // A stream of about 3 s (60 chunks 50 ms apart) and an answer that takes 2 s both outlive the 1.5 s timeout.
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ')
    const stream = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `[slow:50] ${words}` }], stream: true }),
    })
    const t0 = performance.now()
    const events = await stream.text()
    expect(performance.now() - t0).toBeGreaterThan(1500)
    expect(events.trimEnd().endsWith('data: [DONE]')).toBe(true)
    expect(events.match(/"content":"w\d+ ?"/g)).toHaveLength(60)

    fake.faults.delayMs = 2000
    try {
      const slow = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(CHAT) })
      expect(slow.status).toBe(200)
      expect((await slow.json()).choices[0].message.content).toEqual(expect.any(String))
    }
    finally {
      fake.faults.delayMs = 0
    }
  })
})

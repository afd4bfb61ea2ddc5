// OpenTelemetry traces end to end: the built gateway exports over OTLP/HTTP (JSON) to a receiver on
// loopback; spans, their parents, GenAI attributes and events are checked, and the trace context is
// seen continuing upstream in the fake provider's log.
import { createServer } from 'node:http'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProviders, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'
import { listenOnLoopback } from '../helpers/net'

interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes: { key: string, value: Record<string, unknown> }[]
  events?: { name: string }[]
  status?: { code?: number }
}
const SERVER = 2
const CLIENT = 3
const ERROR = 2

const received: { resource: Record<string, unknown>, span: OtlpSpan }[] = []
const receiver = createServer((req, res) => {
  let body = ''
  req.on('data', (c: Buffer) => { body += c })
  req.on('end', () => {
    if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('application/json')) {
      res.writeHead(415).end()
      return
    }
    for (const rs of JSON.parse(body).resourceSpans ?? []) {
      const resource = attributesOf(rs.resource?.attributes ?? [])
      for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) received.push({ resource, span })
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
})

/** OTLP JSON attributes as a plain object ({stringValue}, {intValue} (a number or a string), {boolValue}, arrays). */
function attributesOf(list: { key: string, value: Record<string, any> }[]): Record<string, unknown> {
  const plain = (v: Record<string, any>): unknown =>
    'stringValue' in v ? v.stringValue : 'intValue' in v ? Number(v.intValue) : 'boolValue' in v ? v.boolValue : 'doubleValue' in v ? v.doubleValue : v.arrayValue?.values?.map(plain)
  return Object.fromEntries(list.map(a => [a.key, plain(a.value)]))
}

let fakes: FakeProviders
let gw: GatewayProcess
let client: OpenAI
let receiverUrl: string
let closeReceiver: () => Promise<void>

/** The spans of one trace once the server span of `requestId` has arrived (the exporter batches every 50 ms). */
async function traceOf(requestId: string) {
  for (let i = 0; i < 200; i++) {
    const server = received.find(r => r.span.kind === SERVER && attributesOf(r.span.attributes)['gateway.request.id'] === requestId)
    if (server) {
      // The attempts end before (or with) the server span; give a late batch a moment.
      await new Promise(r => setTimeout(r, 150))
      const spans = received.filter(r => r.span.traceId === server.span.traceId).map(r => ({ ...r.span, attrs: attributesOf(r.span.attributes) }))
      return { server: spans.find(s => s.spanId === server.span.spanId)!, spans, resource: server.resource }
    }
    await new Promise(r => setTimeout(r, 25))
  }
  throw new Error(`no server span for ${requestId}`)
}

beforeAll(async () => {
  ;({ url: receiverUrl, close: closeReceiver } = await listenOnLoopback(receiver))
  fakes = await startFakeProviders()
  gw = await startGateway({
    ...fakes.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_SERVICE_NAME: 'gateway-under-test',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
    UPSTREAM_MAX_RETRIES: '1',
    RETRY_AFTER_MAX_MS: '50',
  })
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'traced' })).body
  client = new OpenAI({ apiKey: key.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await gw?.stop()
  if (gw) removeDir(gw.dataDir)
  await fakes?.close()
  await closeReceiver?.()
})

describe('OpenTelemetry traces', () => {
  it('continues an incoming traceparent: a server span for the call, a client span for the upstream call carrying it onward', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const parentId = '00f067aa0ba902b7'
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'trace me' }] }, { headers: { traceparent: `00-${traceId}-${parentId}-01` } }).withResponse()
    const { server, spans, resource } = await traceOf(res.response.headers.get('x-request-id')!)
    expect(resource).toMatchObject({ 'service.name': 'gateway-under-test', 'deployment.environment': 'test' })
    expect(server).toMatchObject({ traceId, parentSpanId: parentId, name: 'chat gpt-4o-mini' })
    expect(server.attrs).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': res.data.usage!.prompt_tokens,
      'gen_ai.usage.output_tokens': res.data.usage!.completion_tokens,
      'gateway.estimated_usage': false,
      'http.response.status_code': 200,
    })
    expect(Number(server.attrs['gateway.cost_usd'])).toBeGreaterThan(0)
    expect(server.attrs['gateway.key.id']).toMatch(/\S/)
    const attempts = spans.filter(s => s.kind === CLIENT)
    expect(attempts).toHaveLength(1)
    expect(attempts[0]).toMatchObject({ parentSpanId: server.spanId, name: 'chat gpt-4o-mini' })
    expect(attempts[0]!.attrs).toMatchObject({ 'gen_ai.provider.name': 'openai', 'gateway.connection': 'openai' })
    expect(attempts[0]!.events?.map(e => e.name)).toContain('gen_ai.first_byte')
    // The upstream saw the attempt's span as its parent, in the same trace.
    const upstream = fakes.openai.requests.at(-1)!
    expect(upstream.headers.traceparent).toBe(`00-${traceId}-${attempts[0]!.spanId}-01`)
    // Contents never go on spans.
    expect(JSON.stringify(spans)).not.toContain('trace me')
  })

  it('traces a stream with its first byte and usage', async () => {
    const stream = await client.chat.completions.create({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'stream and trace' }], stream: true }).withResponse()
    for await (const _ of stream.data) { /* drain */ }
    const { server, spans } = await traceOf(stream.response.headers.get('x-request-id')!)
    expect(server.parentSpanId ?? '').toBe('')
    expect(server.attrs).toMatchObject({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.stream': true, 'gen_ai.response.model': 'claude-haiku-4-5' })
    expect(Number(server.attrs['gen_ai.usage.output_tokens'])).toBeGreaterThan(0)
    const [attempt] = spans.filter(s => s.kind === CLIENT)
    expect(attempt!.events?.map(e => e.name)).toContain('gen_ai.first_byte')
    expect(attempt!.parentSpanId).toBe(server.spanId)
  })

  it('shows a retry and a fallback as sibling attempts, each with its status', async () => {
    await gw.admin('PUT', '/api/admin/routes/traced-route', { targets: [{ model: 'gpt-4o-mini' }, { model: 'claude-haiku-4-5' }] })
    fakes.openai.faults.statuses.push({ status: 503 }, { status: 503 })
    const res = await client.chat.completions.create({ model: 'traced-route', messages: [{ role: 'user', content: 'fall back' }] }).withResponse()
    expect(res.response.headers.get('x-gateway-provider')).toBe('anthropic')
    const { server, spans } = await traceOf(res.response.headers.get('x-request-id')!)
    const attempts = spans.filter(s => s.kind === CLIENT)
    expect(attempts.map(a => a.attrs['gateway.connection'])).toEqual(['openai', 'openai', 'anthropic'])
    for (const a of attempts) expect(a.parentSpanId).toBe(server.spanId)
    expect(attempts.slice(0, 2).map(a => [a.status?.code, a.attrs['http.response.status_code']])).toEqual([[ERROR, 503], [ERROR, 503]])
    expect(attempts[2]!.status?.code ?? 0).not.toBe(ERROR)
    expect(server.attrs).toMatchObject({ 'gen_ai.request.model': 'traced-route', 'gen_ai.response.model': 'claude-haiku-4-5' })
  })

  it('ends a refused call\'s span with its error', async () => {
    const bad = new OpenAI({ apiKey: 'sk-gw-not-a-key', baseURL: `${gw.url}/v1`, maxRetries: 0 })
    const err = await bad.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch(e => e)
    expect(err.status).toBe(401)
    const { server } = await traceOf(err.headers.get('x-request-id'))
    expect(server.status?.code).toBe(ERROR)
    expect(server.attrs['http.response.status_code']).toBe(401)
  })
})

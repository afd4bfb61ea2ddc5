// Background responses (`background: true`) end to end: answered at once as queued, run by the
// gateway and polled to their end with the official openai SDK, cancelled (the upstream call is
// aborted), and at SIGTERM either finished within the drain or stored as failed, never lost. Each is
// metered when it ends, at the registry price. The fake OpenAI's "[slow:N]" holds its answer N ms.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeReply } from '../helpers/fake-openai'
import { type FakeProviders, registryCost, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, requestRow, startGateway } from '../helpers/gateway'
import { checkResponseBody } from '../helpers/responses-schema'

const GPT = 'gpt-4o-mini'
const CLAUDE = 'claude-haiku-4-5'

let fakes: FakeProviders
const gateways: GatewayProcess[] = []

const echo = (text: string) => fakeReply([{ role: 'user', content: text }])
const tick = () => new Promise(r => setTimeout(r, 25))

async function gatewayWithKey(env: Record<string, string> = {}) {
  const gw = await startGateway({ ...fakes.env, ...env })
  gateways.push(gw)
  const key = (await gw.admin('POST', '/api/admin/keys', { name: 'background', budgetUsd: 10 })).body.key
  return { gw, client: new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 }) }
}


/** Polls the response until it is neither queued nor in progress; returns every status seen. */
async function pollToEnd(client: OpenAI, id: string) {
  const seen: string[] = []
  for (let i = 0; i < 400; i++) {
    const r = await client.responses.retrieve(id)
    if (seen.at(-1) !== r.status) seen.push(r.status!)
    if (r.status !== 'queued' && r.status !== 'in_progress') return { response: r, seen }
    await tick()
  }
  throw new Error(`response ${id} did not end`)
}

/** Waits until the fake OpenAI has received a call whose input contains `text`. */
async function upstreamReceived(text: string) {
  while (!fakes.openai.requests.some(r => JSON.stringify(r.body?.input ?? '').includes(text))) await tick()
}

beforeAll(async () => {
  fakes = await startFakeProviders()
})

afterAll(async () => {
  for (const gw of gateways) {
    await gw.stop()
    removeDir(gw.dataDir)
  }
  await fakes?.close()
})

describe('background responses', () => {
  let gw: GatewayProcess
  let client: OpenAI
  beforeAll(async () => {
    ({ gw, client } = await gatewayWithKey())
  })

  it.each([[GPT, '[slow:300] a long task'], [CLAUDE, 'a quick task']])('answers %s at once as queued, then is polled to completed and metered exactly', async (model, input) => {
    const { data: queued, response } = await client.responses.create({ model, input, background: true }).withResponse()
    checkResponseBody(queued)
    expect(queued).toMatchObject({ status: 'queued', background: true, output: [], usage: null, store: true })
    const { response: done, seen } = await pollToEnd(client, queued.id)
    checkResponseBody(done)
    expect(done).toMatchObject({ id: queued.id, status: 'completed', background: true, output_text: echo(input) })
    if (model === GPT) expect(seen[0]).toBe('in_progress')
    // Upstream it was an ordinary call: the gateway did the background part.
    const sent = (model === GPT ? fakes.openai : fakes.anthropic).requests.at(-1)!.body
    expect(sent.background).toBeUndefined()
    const row = await requestRow(gw, response.headers.get('x-request-id'))
    expect(row).toMatchObject({ endpoint: 'responses', model, status: 200, promptTokens: done.usage!.input_tokens, completionTokens: done.usage!.output_tokens, estimated: false })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
    // It is a stored response like any other: the next turn continues it.
    const next = await client.responses.create({ model, previous_response_id: done.id, input: 'and then' })
    expect(next.output_text).toBe(echo('and then'))
    expect(JSON.stringify((model === GPT ? fakes.openai : fakes.anthropic).requests.at(-1)!.body)).toContain(done.output_text)
  })

  it('follows a running background response with GET ?stream=true until it ends', async () => {
    const queued = await client.responses.create({ model: GPT, input: '[slow:300] follow me', background: true })
    const events: any[] = []
    for await (const e of await client.responses.retrieve(queued.id, { stream: true })) events.push(e)
    expect(events.map(e => e.sequence_number)).toEqual(events.map((_, i) => i))
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { id: queued.id, status: 'completed' } })
    expect(events.filter(e => e.type === 'response.output_text.delta').map(e => e.delta).join('')).toBe(echo('[slow:300] follow me'))
  })

  it('cancels a running one: the upstream call is aborted, the response stays cancelled, and it is metered as cut short', async () => {
    const aborted = fakes.openai.abortedStreams
    const { data: queued, response } = await client.responses.create({ model: GPT, input: '[slow:30000] cancel me', background: true }).withResponse()
    await upstreamReceived('cancel me')
    const cancelled = await client.responses.cancel(queued.id)
    expect(cancelled).toMatchObject({ id: queued.id, status: 'cancelled', background: true })
    while (fakes.openai.abortedStreams === aborted) await tick()
    const row = await requestRow(gw, response.headers.get('x-request-id'))
    expect(row).toMatchObject({ status: 499, errorCode: 'cancelled', estimated: true })
    expect(row.promptTokens).toBeGreaterThan(0)
    expect((await client.responses.retrieve(queued.id)).status).toBe('cancelled')
    // A second cancel answers the response as it is.
    expect(await client.responses.cancel(queued.id)).toMatchObject({ status: 'cancelled' })
  })

  it('answers a cancel of a finished one with the response as it ended, and refuses one not made in the background', async () => {
    const queued = await client.responses.create({ model: CLAUDE, input: 'done quickly', background: true })
    const { response: done } = await pollToEnd(client, queued.id)
    expect(await client.responses.cancel(queued.id)).toMatchObject({ id: done.id, status: 'completed', output: done.output })
    const sync = await client.responses.create({ model: CLAUDE, input: 'not background' })
    await expect(client.responses.cancel(sync.id)).rejects.toMatchObject({ status: 400 })
    await expect(client.responses.cancel('resp_unknown')).rejects.toMatchObject({ status: 404 })
  })

  it('refuses background with store: false, as OpenAI does, and a request its provider cannot take before queuing it', async () => {
    await expect(client.responses.create({ model: GPT, input: 'x', background: true, store: false })).rejects.toMatchObject({ status: 400, param: 'store' })
    const sent = fakes.anthropic.requests.length
    await expect(client.responses.create({ model: CLAUDE, input: 'look it up', background: true, tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] }))
      .rejects.toMatchObject({ status: 400, param: 'tools[0]' })
    expect(fakes.anthropic.requests.length).toBe(sent)
  })
})

describe('background responses at shutdown', () => {
  it('finishes the one that can within the drain and stores the other as failed; both are in the log after restart', async () => {
    const { gw, client } = await gatewayWithKey({ RESPONSES_BACKGROUND_DRAIN_SECONDS: '2' })
    const { data: quick, response: quickHttp } = await client.responses.create({ model: GPT, input: '[slow:500] finishes in the drain', background: true }).withResponse()
    const { data: slow, response: slowHttp } = await client.responses.create({ model: GPT, input: '[slow:60000] outlives the drain', background: true }).withResponse()
    await upstreamReceived('outlives the drain')
    expect(await gw.stop('SIGTERM')).toBe(0)
    await gw.restart()
    expect(await client.responses.retrieve(quick.id)).toMatchObject({ status: 'completed', output_text: echo('[slow:500] finishes in the drain') })
    expect(await client.responses.retrieve(slow.id)).toMatchObject({ status: 'failed', error: { code: 'server_error', message: expect.stringMatching(/shut down/) } })
    expect(await requestRow(gw, quickHttp.headers.get('x-request-id'))).toMatchObject({ status: 200, estimated: false })
    expect(await requestRow(gw, slowHttp.headers.get('x-request-id'))).toMatchObject({ status: 499, errorCode: 'server_shutdown', estimated: true })
  })
})

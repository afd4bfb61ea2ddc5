// The Responses API end to end: the built gateway, strict fake OpenAI, Anthropic and Gemini servers,
// and the official openai SDK's responses.create / stream / retrieve / delete / inputItems.list
// against an OpenAI, a Claude and a Gemini model. Every body and every streamed event is checked
// against the schemas of tests/helpers/responses-schema.ts; every turn is metered at the registry's
// prices; follow-ups are sent the moment the answer arrives.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeReply } from '../helpers/fake-openai'
import { type FakeProviders, registryCost, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, requestRow, startGateway } from '../helpers/gateway'
import { checkEventSequence, checkResponseBody } from '../helpers/responses-schema'

const GPT = 'gpt-4o-mini'
const CLAUDE = 'claude-haiku-4-5'
const GEMINI = 'gemini-2.5-flash'
const weather = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false }

let fakes: FakeProviders
let gw: GatewayProcess
let client: OpenAI
let other: OpenAI

const echo = (text: string) => fakeReply([{ role: 'user', content: text }])

beforeAll(async () => {
  fakes = await startFakeProviders()
  gw = await startGateway(fakes.env)
  const [mine, theirs] = await Promise.all([
    gw.admin('POST', '/api/admin/keys', { name: 'responses', budgetUsd: 50 }),
    gw.admin('POST', '/api/admin/keys', { name: 'another app' }),
  ])
  client = new OpenAI({ apiKey: mine.body.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
  other = new OpenAI({ apiKey: theirs.body.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await gw?.stop()
  await fakes?.close()
  if (gw) removeDir(gw.dataDir)
})

describe.each([[GPT], [CLAUDE], [GEMINI]])('responses on %s', (model) => {
  it('answers responses.create, metered at the registry price, and keeps it for retrieve and inputItems', async () => {
    const { data: res, response } = await client.responses.create({ model, input: 'what time is it', instructions: 'Be terse.' }).withResponse()
    checkResponseBody(res)
    expect(res).toMatchObject({ status: 'completed', output_text: echo('what time is it'), store: true, instructions: 'Be terse.' })
    const row = await requestRow(gw, response.headers.get('x-request-id'))
    expect(row).toMatchObject({ endpoint: 'responses', model, status: 200, promptTokens: res.usage!.input_tokens, completionTokens: res.usage!.output_tokens })
    expect(row.promptTokens).toBeGreaterThan(0)
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))

    const again = await client.responses.retrieve(res.id)
    checkResponseBody(again)
    expect(again.output).toEqual(res.output)
    const items = await client.responses.inputItems.list(res.id)
    expect(items.data).toHaveLength(1)
    expect(items.data[0]).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'what time is it' }] })
  })

  it("streams OpenAI's event sequence, stored before response.completed arrives", async () => {
    const stream = client.responses.stream({ model, input: 'one two three' })
    const events: unknown[] = []
    let storedAtCompletion: OpenAI.Responses.Response | undefined
    for await (const e of stream) {
      events.push(e)
      // Asked the moment the terminal event arrives, before the stream has closed.
      if (e.type === 'response.completed') storedAtCompletion = await client.responses.retrieve(e.response.id)
    }
    const final = await stream.finalResponse()
    const checked = checkEventSequence(events)
    expect(checked.map(e => e.type)).toEqual(expect.arrayContaining(['response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done']))
    const done = checked.at(-1)!
    expect(done.type).toBe('response.completed')
    expect(final.output_text).toBe(echo('one two three'))
    expect((done as any).response.usage.output_tokens).toBeGreaterThan(0)
    // The terminal event's response (finalResponse adds the SDK's own `parsed` fields) is what was stored.
    expect(storedAtCompletion!.output).toEqual((done as any).response.output)
    // retrieve with stream: true replays it as events.
    const replayed: unknown[] = []
    for await (const e of await client.responses.retrieve(final.id, { stream: true })) replayed.push(e)
    const again = checkEventSequence(replayed)
    expect((again.at(-1) as any).response).toEqual((done as any).response)
    expect(again.filter(e => e.type === 'response.output_text.delta').map((e: any) => e.delta).join('')).toBe(echo('one two three'))
  })

  it('meters a streamed response from the usage of its terminal event, at the registry price', async () => {
    const { data: stream, response } = await client.responses.create({ model, input: 'count these words [cached]', stream: true }).withResponse()
    let usage: OpenAI.Responses.ResponseUsage | undefined
    for await (const e of stream) if (e.type === 'response.completed') usage = e.response.usage
    const row = await requestRow(gw, response.headers.get('x-request-id'))
    expect(row).toMatchObject({ endpoint: 'responses', stream: true, status: 200, promptTokens: usage!.input_tokens, cachedTokens: usage!.input_tokens_details.cached_tokens, completionTokens: usage!.output_tokens })
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('runs a three-turn tool loop through previous_response_id, each turn sent as soon as the last answered', async () => {
    const first = await client.responses.create({ model, input: 'what is the weather in Paris', tools: [weather] })
    checkResponseBody(first)
    const call = first.output.find(o => o.type === 'function_call')
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather' })
    expect(JSON.parse(call!.arguments)).toEqual({ city: 'Paris' })

    const stream = client.responses.stream({ model, previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call!.call_id, output: 'sunny and mild' }], tools: [weather] })
    const events: unknown[] = []
    for await (const e of stream) events.push(e)
    checkEventSequence(events)
    const second = await stream.finalResponse()
    expect(second.output_text).toContain('sunny and mild')
    expect(second.previous_response_id).toBe(first.id)

    const third = await client.responses.create({ model, previous_response_id: second.id, input: 'thanks a lot', tools: [weather] })
    checkResponseBody(third)
    expect(third.output_text).toBe(echo('thanks a lot'))

    // The items the third turn was made from (every earlier turn's input and output, then its own input).
    const made = ['message', ...first.output.map(o => o.type), 'function_call_output', ...second.output.map(o => o.type), 'message']
    const all = await client.responses.inputItems.list(third.id, { order: 'asc' })
    expect(all.data.map(i => i.type)).toEqual(made)
    expect(all.data.map(i => i.id)).toEqual([expect.any(String), ...first.output.map(o => o.id), expect.any(String), ...second.output.map(o => o.id), expect.any(String)])
    // Newest first by default, two a page; the SDK asks for the next page after the last item's id.
    const page1 = await client.responses.inputItems.list(third.id, { limit: 2 })
    expect(page1.data).toEqual(all.data.slice(-2).reverse())
    expect(page1.has_more).toBe(true)
    const page2 = await page1.getNextPage()
    expect(page2.data).toEqual(all.data.slice(-4, -2).reverse())
    expect(all.data[0]).toMatchObject({ role: 'user', content: [{ type: 'input_text', text: 'what is the weather in Paris' }] })
    expect(all.has_more).toBe(false)
    const raw = await fetch(`${gw.url}/v1/responses/${third.id}/input_items?limit=2&order=asc`, { headers: { authorization: `Bearer ${client.apiKey}` } }).then(r => r.json())
    expect(raw).toEqual({ object: 'list', data: all.data.slice(0, 2), first_id: all.data[0]!.id, last_id: all.data[1]!.id, has_more: true })
  })

  it('sends text.format json_schema as the provider\'s structured output, and answers JSON', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city'] }
    const res = await client.responses.create({ model, input: 'a city as JSON', text: { format: { type: 'json_schema', name: 'report', schema } } })
    checkResponseBody(res)
    expect(res.text?.format).toMatchObject({ type: 'json_schema', name: 'report' })
    const upstream = { [GPT]: fakes.openai, [CLAUDE]: fakes.anthropic, [GEMINI]: fakes.gemini }[model]!.requests.at(-1)!.body
    expect(JSON.stringify(upstream)).toContain('"celsius"')
    if (model === GPT) return // the fake OpenAI echoes; the format went as the client sent it
    expect(Object.keys(JSON.parse(res.output_text))).toContain('city')
  })

  it('counts input tokens with the provider without generating: what a response of the same input reports', async () => {
    const input = 'how many tokens is this'
    const made = await client.responses.create({ model, input, instructions: 'Be terse.', tools: [weather] })
    const sentBefore = [fakes.openai, fakes.anthropic, fakes.gemini].map(f => f.requests.length)
    const { data: counted, response } = await client.responses.inputTokens.count({ model, input, instructions: 'Be terse.', tools: [weather] }).withResponse()
    expect(counted).toEqual({ object: 'response.input_tokens', input_tokens: made.usage!.input_tokens })
    const upstream = { [GPT]: fakes.openai, [CLAUDE]: fakes.anthropic, [GEMINI]: fakes.gemini }[model]!.requests.at(-1)!
    expect(upstream.path).toMatch({ [GPT]: /\/v1\/responses\/input_tokens$/, [CLAUDE]: /\/v1\/messages\/count_tokens$/, [GEMINI]: /:countTokens$/ }[model]!)
    // Only the one provider was called, once: nothing was generated.
    expect([fakes.openai, fakes.anthropic, fakes.gemini].map(f => f.requests.length).reduce((a, b) => a + b)).toBe(sentBefore.reduce((a, b) => a + b) + 1)
    expect(await requestRow(gw, response.headers.get('x-request-id'))).toMatchObject({ endpoint: 'responses', model, status: 200, promptTokens: 0, costNanoUsd: 0 })
    // A follow-up counts the conversation it continues.
    const next = await client.responses.inputTokens.count({ model, previous_response_id: made.id, input: 'and this' })
    const follow = await client.responses.create({ model, previous_response_id: made.id, input: 'and this' })
    expect(next.input_tokens).toBe(follow.usage!.input_tokens)
    await expect(other.responses.inputTokens.count({ model, previous_response_id: made.id, input: 'x' })).rejects.toMatchObject({ status: 400, code: 'previous_response_not_found' })
  })

  it("keeps nothing with store: false, and shows another key's response as unknown", async () => {
    const unstored = await client.responses.create({ model, input: 'forget me', store: false })
    await expect(client.responses.retrieve(unstored.id)).rejects.toMatchObject({ status: 404 })
    const mine = await client.responses.create({ model, input: 'mine only' })
    await expect(other.responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404 })
    await expect(other.responses.inputItems.list(mine.id)).rejects.toMatchObject({ status: 404 })
    await expect(other.responses.delete(mine.id)).rejects.toMatchObject({ status: 404 })
    await expect(other.responses.create({ model, previous_response_id: mine.id, input: 'steal' })).rejects.toMatchObject({ status: 400, code: 'previous_response_not_found', param: 'previous_response_id' })
    const deletes = () => fakes.openai.requests.filter(r => r.method === 'DELETE').map(r => r.path)
    await client.responses.delete(mine.id)
    await expect(client.responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404 })
    // OpenAI held it too: it is deleted there; other providers' responses were only the gateway's.
    expect(deletes().includes(`/v1/responses/${mine.id}`)).toBe(model === GPT)
  })
})

describe('responses across providers', () => {
  it('continues on Claude a conversation that started on OpenAI', async () => {
    const first = await client.responses.create({ model: GPT, input: 'first question asked' })
    const second = await client.responses.create({ model: CLAUDE, previous_response_id: first.id, input: 'second question now' })
    checkResponseBody(second)
    expect(second.output_text).toBe(echo('second question now'))
    const sent = fakes.anthropic.requests.at(-1)!.body
    expect(sent.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(JSON.stringify(sent.messages)).toContain('first question asked')
    expect(JSON.stringify(sent.messages)).toContain(first.output_text)
  })

  it('names an OpenAI-held previous response to OpenAI, and sends a Claude-started chain to OpenAI in full', async () => {
    const first = await client.responses.create({ model: GPT, input: 'alpha' })
    await client.responses.create({ model: GPT, previous_response_id: first.id, input: 'beta' })
    expect(fakes.openai.requests.at(-1)!.body).toMatchObject({ previous_response_id: first.id, input: 'beta', model: GPT })

    const claude = await client.responses.create({ model: CLAUDE, input: 'gamma' })
    const back = await client.responses.create({ model: GPT, previous_response_id: claude.id, input: 'delta' })
    expect(back.output_text).toBe(echo('delta'))
    const sent = fakes.openai.requests.at(-1)!.body
    expect(sent.previous_response_id).toBeUndefined()
    expect(JSON.stringify(sent.input)).toContain('gamma')
    expect(JSON.stringify(sent.input)).toContain(claude.output_text)
  })

  it.each([[CLAUDE], [GEMINI]])('tells %s failing mid-stream as response.failed after the events so far, and keeps nothing', async (model) => {
    const stream = await client.responses.create({ model, input: 'break please [fail-midstream]', stream: true })
    const events: any[] = []
    for await (const e of stream) events.push(e)
    const checked = checkEventSequence(events)
    const failed = checked.at(-1) as any
    expect(failed.type).toBe('response.failed')
    expect(failed.response).toMatchObject({ status: 'failed', error: { message: expect.any(String) } })
    await expect(client.responses.retrieve(failed.response.id)).rejects.toMatchObject({ status: 404 })
  })

  it('answers a provider error before the first byte as an HTTP error in OpenAI\'s shape', async () => {
    await expect(client.responses.create({ model: CLAUDE, input: 'overload [fail-529]', stream: true }))
      .rejects.toMatchObject({ status: 503, error: { type: expect.any(String), message: expect.any(String) } })
  })

  it('reserves the budget for the completion cap it sends, and refuses a call the budget cannot cover', async () => {
    await client.responses.create({ model: GPT, input: 'capped openai' })
    expect(fakes.openai.requests.at(-1)!.body).toMatchObject({ input: 'capped openai', max_output_tokens: 4096 })
    await client.responses.create({ model: GPT, input: 'own cap', max_output_tokens: 64 })
    expect(fakes.openai.requests.at(-1)!.body.max_output_tokens).toBe(64)
    await client.responses.create({ model: CLAUDE, input: 'capped claude' })
    expect(fakes.anthropic.requests.at(-1)!.body.max_tokens).toBe(4096)
    const poor = (await gw.admin('POST', '/api/admin/keys', { name: 'poor', budgetUsd: 0.000001 })).body.key
    const broke = new OpenAI({ apiKey: poor, baseURL: `${gw.url}/v1`, maxRetries: 0 })
    const sent = fakes.openai.requests.length
    await expect(broke.responses.create({ model: GPT, input: 'too dear' })).rejects.toMatchObject({ status: 429, code: 'budget_exceeded' })
    expect(fakes.openai.requests.length).toBe(sent)
  })

  it('expires stored responses by an hourly task that keeps those younger than RESPONSES_TTL_DAYS', async () => {
    const kept = await client.responses.create({ model: GEMINI, input: 'keep me' })
    const tasks = (await gw.admin('GET', '/api/admin/tasks')).body.data
    expect(tasks).toContainEqual(expect.objectContaining({ name: 'responses:expire', schedule: '17 * * * *' }))
    const run = await gw.admin('POST', '/api/admin/tasks/responses:expire')
    expect(run).toMatchObject({ status: 200, body: { result: { deleted: 0 } } })
    expect((await client.responses.retrieve(kept.id)).id).toBe(kept.id)
  })

  it('falls back along a route when OpenAI fails before the first byte, and names the model that answered', async () => {
    expect((await gw.admin('PUT', '/api/admin/routes/resp-route', { targets: [{ model: GPT }, { model: CLAUDE }] })).status).toBe(200)
    fakes.openai.faults.statuses.push({ status: 500 }, { status: 500 }, { status: 500 })
    const { data, response } = await client.responses.create({ model: 'resp-route', input: 'route me' }).withResponse()
    checkResponseBody(data)
    expect(data.output_text).toBe(echo('route me'))
    expect(response.headers.get('x-gateway-model')).toBe(CLAUDE)
    expect(fakes.openai.faults.statuses).toHaveLength(0)
  })

  it('meters an OpenAI answer it does not keep from its usage alone', async () => {
    const { data, response } = await client.responses.create({ model: GPT, input: 'not kept [cached]', store: false }).withResponse()
    const row = await requestRow(gw, response.headers.get('x-request-id'))
    expect(row).toMatchObject({ promptTokens: data.usage!.input_tokens, cachedTokens: data.usage!.input_tokens_details.cached_tokens, completionTokens: data.usage!.output_tokens })
    expect(row.cachedTokens).toBeGreaterThan(0)
    expect(row.costNanoUsd).toBe(await registryCost(gw, row))
  })

  it('logs an OpenAI stream that ends in response.failed as a failure with its error, not as a success', async () => {
    const { data: stream, response } = await client.responses.create({ model: GPT, input: 'please [fail-response]', stream: true }).withResponse()
    const events: any[] = []
    for await (const e of stream) events.push(e)
    expect(checkEventSequence(events).at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error' } } })
    expect(await requestRow(gw, response.headers.get('x-request-id'))).toMatchObject({ endpoint: 'responses', status: 500, errorCode: 'server_error' })
  })

  it('logs and rate-limits reads, deletes and input_items of stored responses as every /v1 call', async () => {
    const { body: limited } = await gw.admin('POST', '/api/admin/keys', { name: 'reads limited', rpm: 3 })
    const reader = new OpenAI({ apiKey: limited.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
    const made = await reader.responses.create({ model: GEMINI, input: 'read me later' })
    const { response } = await reader.responses.retrieve(made.id).withResponse()
    expect(await requestRow(gw, response.headers.get('x-request-id'))).toMatchObject({ endpoint: 'responses', status: 200, keyId: limited.id, promptTokens: 0, costNanoUsd: 0 })
    await reader.responses.inputItems.list(made.id)
    await expect(reader.responses.delete(made.id)).rejects.toMatchObject({ status: 429 })
  })

  it('refuses built-in tools for Claude with a 400 naming the tool', async () => {
    await expect(client.responses.create({ model: CLAUDE, input: 'look it up', tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] }))
      .rejects.toMatchObject({ status: 400, param: 'tools[0]' })
  })
})

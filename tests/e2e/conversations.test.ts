// The Conversations API end to end: the built gateway on SQLite, the strict fake providers, and the
// official openai SDK's conversations.create / retrieve / update / delete, conversations.items.create /
// list / retrieve / delete, and responses.create and responses.stream with `conversation`, against an
// OpenAI, a Claude and a Gemini model. Bodies are checked against tests/helpers/responses-schema.ts;
// each turn is sent the moment the last one answered.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeReply } from '../helpers/fake-openai'
import { type FakeProviders, startFakeProviders } from '../helpers/fake-providers'
import { type GatewayProcess, removeDir, requestRow, startGateway } from '../helpers/gateway'
import { checkEventSequence, checkResponseBody, ConversationDeleted, ConversationItem, ConversationItemList, ConversationObject } from '../helpers/responses-schema'

const GPT = 'gpt-4o-mini'
const CLAUDE = 'claude-haiku-4-5'
const GEMINI = 'gemini-2.5-flash'
const weather = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false }

let fakes: FakeProviders
let gw: GatewayProcess
let client: OpenAI
let other: OpenAI

const echo = (text: string) => fakeReply([{ role: 'user', content: text }])
/** The body as the server sent it (the SDK adds output_text to responses). */
const plain = (v: unknown) => JSON.parse(JSON.stringify({ ...(v as object), output_text: undefined }))
/** A GET as the server answers it (the SDK's page objects are not the body). */
const getJson = (path: string) => fetch(`${gw.url}/v1${path}`, { headers: { authorization: `Bearer ${client.apiKey}` } }).then(r => r.json())
/** Every item of a conversation, oldest first, checked against the schema. */
const allItems = async (id: string) => ConversationItemList.parse(await getJson(`/conversations/${id}/items?order=asc&limit=100`)).data
const lastSent = (model: string) => JSON.stringify({ [GPT]: fakes.openai, [CLAUDE]: fakes.anthropic, [GEMINI]: fakes.gemini }[model]!.requests.at(-1)!.body)


beforeAll(async () => {
  fakes = await startFakeProviders()
  gw = await startGateway(fakes.env)
  const [mine, theirs] = await Promise.all([
    gw.admin('POST', '/api/admin/keys', { name: 'conversations', budgetUsd: 50 }),
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

describe.each([[GPT], [CLAUDE], [GEMINI]])('a conversation on %s', (model) => {
  it('is the history of each turn, and gets each turn\'s input and output before the answer leaves', async () => {
    const conv = ConversationObject.parse(await client.conversations.create({ metadata: { topic: 'trip' }, items: [{ type: 'message', role: 'user', content: 'my name is Ada' }] }))
    expect(conv.metadata).toEqual({ topic: 'trip' })

    // Turn one: a tool call. The conversation's first item is the history the provider is sent.
    const first = await client.responses.create({ model, conversation: conv.id, input: 'what is the weather in Paris', tools: [weather] })
    checkResponseBody(first)
    expect(first.conversation).toEqual({ id: conv.id })
    expect(lastSent(model)).toContain('my name is Ada')
    if (model === GPT) expect(fakes.openai.requests.at(-1)!.body.conversation).toBeUndefined()
    const call = first.output.find(o => o.type === 'function_call')!
    expect(call).toMatchObject({ name: 'get_weather' })
    const afterFirst = await allItems(conv.id)
    expect(afterFirst.map(i => i.type)).toEqual(['message', 'message', ...first.output.map(o => o.type)])
    expect(afterFirst.slice(2).map(i => i.id)).toEqual(first.output.map(o => o.id))
    expect(afterFirst[1]).toMatchObject({ role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'what is the weather in Paris' }] })

    // Turn two, streamed: the call's output pairs with the call the conversation holds (`{id}` form).
    const stream = client.responses.stream({ model, conversation: { id: conv.id }, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny and mild' }], tools: [weather] })
    const events: any[] = []
    let itemsAtCompletion: Awaited<ReturnType<typeof allItems>> = []
    for await (const e of stream) {
      events.push(e)
      // Asked the moment the terminal event arrives, before the stream has closed.
      if (e.type === 'response.completed') itemsAtCompletion = await allItems(conv.id)
    }
    checkEventSequence(events)
    for (const e of events.filter(e => 'response' in e)) expect(e.response.conversation).toEqual({ id: conv.id })
    const second = await stream.finalResponse()
    expect(second.output_text).toContain('sunny and mild')
    expect(lastSent(model)).toContain('my name is Ada')
    expect(itemsAtCompletion.map(i => i.type)).toEqual([...afterFirst.map(i => i.type), 'function_call_output', ...second.output.map(o => o.type)])
    expect(itemsAtCompletion.slice(-second.output.length).map(i => i.id)).toEqual(second.output.map(o => o.id))

    // Turn three, on at once: every earlier turn is sent, and the stored response names its conversation.
    const third = await client.responses.create({ model, conversation: conv.id, input: 'thanks a lot' })
    checkResponseBody(third)
    expect(third.output_text).toBe(echo('thanks a lot'))
    expect(lastSent(model)).toContain('sunny and mild')
    expect(lastSent(model)).toContain(JSON.stringify(second.output_text).slice(1, -1))
    expect((await client.responses.retrieve(third.id)).conversation).toEqual({ id: conv.id })
    expect((await allItems(conv.id)).length).toBe(itemsAtCompletion.length + 1 + third.output.length)
  })

  it('adds a turn answered with store: false too, and keeps no response', async () => {
    const conv = await client.conversations.create()
    const res = await client.responses.create({ model, conversation: conv.id, input: 'off the record', store: false })
    expect(res.conversation).toEqual({ id: conv.id })
    await expect(client.responses.retrieve(res.id)).rejects.toMatchObject({ status: 404 })
    expect((await allItems(conv.id)).map(i => i.type)).toEqual(['message', ...res.output.map(o => o.type)])
  })
})

describe('the Conversations API', () => {
  it('creates, retrieves, updates and deletes a conversation, and pages, adds, retrieves and deletes its items', async () => {
    const created = await client.conversations.create({ metadata: { a: '1' } })
    ConversationObject.parse(created)
    expect(await client.conversations.retrieve(created.id)).toEqual(created)
    const updated = ConversationObject.parse(await client.conversations.update(created.id, { metadata: { b: '2' } }))
    expect(updated).toEqual({ ...created, metadata: { b: '2' } })

    const added = ConversationItemList.parse(plain(await client.conversations.items.create(created.id, {
      items: [
        { type: 'message', role: 'user', content: 'one' },
        { type: 'message', role: 'assistant', content: 'two' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'three' }] },
      ],
    })))
    expect(added.data.map(i => i.id)).toEqual([added.first_id, expect.any(String), added.last_id])
    expect(added.data[1]).toMatchObject({ role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'two', annotations: [] }] })
    await client.conversations.items.create(created.id, { items: [{ type: 'message', role: 'user', content: 'four' }] })

    // Newest first by default, two a page; the SDK asks for the next page after the last item's id.
    const all = await allItems(created.id)
    expect(all.map((i: any) => i.content[0].text)).toEqual(['one', 'two', 'three', 'four'])
    const page1 = await client.conversations.items.list(created.id, { limit: 2 })
    expect(ConversationItemList.parse(await getJson(`/conversations/${created.id}/items?limit=2`))).toEqual({ object: 'list', data: all.slice(2).reverse(), first_id: all[3]!.id, last_id: all[2]!.id, has_more: true })
    expect(page1.data).toEqual(all.slice(2).reverse())
    const page2 = await page1.getNextPage()
    expect(page2.data).toEqual(all.slice(0, 2).reverse())
    expect(page2.has_more).toBe(false)

    const item = await client.conversations.items.retrieve(all[1]!.id, { conversation_id: created.id })
    expect(ConversationItem.parse(item)).toEqual(all[1])
    expect(ConversationObject.parse(await client.conversations.items.delete(all[1]!.id, { conversation_id: created.id }))).toEqual(updated)
    await expect(client.conversations.items.retrieve(all[1]!.id, { conversation_id: created.id })).rejects.toMatchObject({ status: 404 })
    expect((await allItems(created.id)).map(i => i.id)).toEqual([all[0]!.id, all[2]!.id, all[3]!.id])

    expect(ConversationDeleted.parse(await client.conversations.delete(created.id))).toEqual({ id: created.id, object: 'conversation.deleted', deleted: true })
    await expect(client.conversations.retrieve(created.id)).rejects.toMatchObject({ status: 404 })
    await expect(client.conversations.items.list(created.id)).rejects.toMatchObject({ status: 404 })
    await expect(client.responses.create({ model: CLAUDE, conversation: created.id, input: 'hello?' })).rejects.toMatchObject({ status: 404 })
  })

  it("answers another key's conversation as an unknown one, in OpenAI's error shape", async () => {
    const mine = await client.conversations.create({ items: [{ type: 'message', role: 'user', content: 'private' }] })
    const [item] = await allItems(mine.id)
    const refusals = await Promise.all([
      other.conversations.retrieve(mine.id),
      other.conversations.update(mine.id, { metadata: { stolen: 'yes' } }),
      other.conversations.items.list(mine.id),
      other.conversations.items.create(mine.id, { items: [{ type: 'message', role: 'user', content: 'injected' }] }),
      other.conversations.items.retrieve(item!.id, { conversation_id: mine.id }),
      other.conversations.items.delete(item!.id, { conversation_id: mine.id }),
      other.conversations.delete(mine.id),
      other.responses.create({ model: GEMINI, conversation: mine.id, input: 'read it' }),
    ].map(p => p.then(() => undefined, e => e)))
    for (const e of refusals) {
      expect(e).toBeInstanceOf(OpenAI.NotFoundError)
      expect(e.error).toEqual({ message: `Conversation with id '${mine.id}' not found.`, type: 'invalid_request_error', param: null, code: null })
    }
    expect(await client.conversations.retrieve(mine.id)).toMatchObject({ metadata: {} })
    expect((await allItems(mine.id)).map((i: any) => i.content[0].text)).toEqual(['private'])
  })

  it('refuses conversation with previous_response_id, and bad bodies, with a 400 naming the field', async () => {
    const conv = await client.conversations.create()
    const prior = await client.responses.create({ model: CLAUDE, input: 'hello' })
    await expect(client.responses.create({ model: CLAUDE, conversation: conv.id, previous_response_id: prior.id, input: 'both' }))
      .rejects.toMatchObject({ status: 400, code: 'mutually_exclusive_parameters' })
    const items = Array.from({ length: 21 }, () => ({ type: 'message' as const, role: 'user' as const, content: 'x' }))
    await expect(client.conversations.items.create(conv.id, { items })).rejects.toMatchObject({ status: 400, param: 'items' })
    await expect(client.conversations.create({ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) })).rejects.toMatchObject({ status: 400, param: 'metadata' })
    await expect(client.conversations.items.create(conv.id, { items: [{ type: 'message', role: 'robot' as never, content: 'x' }] })).rejects.toMatchObject({ status: 400 })
  })

  it('logs and rate-limits the conversation and stored-response endpoints like every /v1 call', async () => {
    const { data: conv, response } = await client.conversations.create().withResponse()
    expect(await requestRow(gw, response.headers.get('x-request-id'))).toMatchObject({ endpoint: 'conversations', status: 200, costNanoUsd: 0 })
    const missing = await fetch(`${gw.url}/v1/responses/resp_nope`, { headers: { authorization: `Bearer ${client.apiKey}` } })
    expect(missing.status).toBe(404)
    expect(await requestRow(gw, missing.headers.get('x-request-id'))).toMatchObject({ endpoint: 'responses', status: 404 })

    const limited = (await gw.admin('POST', '/api/admin/keys', { name: 'limited', rpm: 3 })).body.key
    const slow = new OpenAI({ apiKey: limited, baseURL: `${gw.url}/v1`, maxRetries: 0 })
    const own = await slow.conversations.create()
    // Seven calls at 3 a minute meet the limit even if a minute turns over between them.
    const outcomes = await Promise.all(Array.from({ length: 7 }, (_, i) => (i % 2 ? slow.conversations.retrieve(own.id) : slow.responses.retrieve('resp_nope'))
      .then(() => 'ok', e => e.code ?? e.status)))
    expect(outcomes).toContain('rate_limit_exceeded')
    expect(outcomes.every(o => o === 'ok' || o === 404 || o === 'rate_limit_exceeded')).toBe(true)
    expect(conv.id).toMatch(/^conv_/)
  })

  it('keeps conversations in use through the expiry task', async () => {
    const conv = await client.conversations.create()
    const run = await gw.admin('POST', '/api/admin/tasks/responses:expire')
    expect(run).toMatchObject({ status: 200, body: { result: { conversations: 0 } } })
    expect((await client.conversations.retrieve(conv.id)).id).toBe(conv.id)
  })
})

// GET and DELETE /v1/responses/{id} (GET with `stream=true` replays it as events) and
// GET /v1/responses/{id}/input_items: the stored responses of the calling key. Another key's
// response is answered as OpenAI answers an unknown id (404).
import { getQuery, type H3Event } from 'h3'
import { GatewayError } from '../core/errors'
import { InputItemsQuery, RetrieveQuery } from '../dialects/openai-responses'
import { authenticate } from '../gateway/auth'
import { sendFailure, sendJsonText, startEventStream, writeEvents } from '../gateway/respond'
import { deleteAtOpenAI } from '../gateway/upstream-delete'
import { conversationItems } from '../inbound/openai-responses/items'
import { replayEvents } from '../inbound/openai-responses/replay'
import { deleteResponse, loadResponse, responseChain, type StoredResponse } from '../store/responses'

const notFound = (id: string) => new GatewayError(404, `Response with id '${id}' not found.`, 'invalid_request_error')

/** What a request is answered with: a JSON body, or server-sent events. */
type Answer = { json: unknown } | { events: string }

async function answer(event: H3Event, pick: (keyId: string) => Promise<Answer>) {
  try {
    const key = await authenticate(event)
    const out = await pick(key.id)
    if ('json' in out) return sendJsonText(event, 200, JSON.stringify(out.json))
    startEventStream(event.node.res, {})
    await writeEvents(event.node.res, out.events)
    event.node.res.end()
  }
  catch (error) {
    sendFailure(event, error, `[gateway] ${event.context.requestId}`)
  }
}

async function stored(keyId: string, id: string): Promise<StoredResponse> {
  const found = await loadResponse(keyId, id)
  if (!found) throw notFound(id)
  return found
}

/** The response, or with `stream=true` the events that make it. */
export const handleGetResponse = (event: H3Event, id: string) => answer(event, async (keyId) => {
  const query = RetrieveQuery.parse(getQuery(event))
  const { response } = await stored(keyId, id)
  return query.stream === 'true' ? { events: replayEvents(response, query.starting_after) } : { json: response }
})

/** Deletes the response here, and at OpenAI when OpenAI holds it too. */
export const handleDeleteResponse = (event: H3Event, id: string) => answer(event, async (keyId) => {
  const { provider, upstreamStored } = await stored(keyId, id)
  if (!await deleteResponse(keyId, id)) throw notFound(id)
  if (provider === 'openai' && upstreamStored) await deleteAtOpenAI(id)
  return { json: { id, object: 'response', deleted: true } }
})

/**
 * The items a response was generated from (those of the turns it continued, then its own input),
 * newest first unless `order=asc`, a page of `limit` after the item `after`.
 */
export const handleListInputItems = (event: H3Event, id: string) => answer(event, async (keyId) => {
  const query = InputItemsQuery.parse(getQuery(event))
  const last = await stored(keyId, id)
  const earlier = last.previousResponseId ? (await responseChain(keyId, last)).slice(0, -1) : []
  const input = [...conversationItems(earlier), ...last.input]
  const ordered = query.order === 'asc' ? input : [...input].reverse()
  const from = query.after === undefined ? 0 : ordered.findIndex(item => item.id === query.after) + 1
  const data = from === 0 && query.after !== undefined ? [] : ordered.slice(from, from + query.limit)
  return { json: { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: from + data.length < ordered.length } }
})

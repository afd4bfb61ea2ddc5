// GET and DELETE /v1/responses/{id} (GET with `stream=true` replays it as events) and
// GET /v1/responses/{id}/input_items: the stored responses of the calling key. Another key's
// response is answered as OpenAI answers an unknown id (404). Rate-limited and logged as
// endpoint `responses` (./stored-state.ts).
import { getQuery, type H3Event } from 'h3'
import { GatewayError } from '../core/errors'
import { InputItemsQuery, RetrieveQuery } from '../dialects/openai-responses'
import { deleteAtOpenAI } from '../gateway/upstream-delete'
import { conversationItems, listPage } from '../inbound/openai-responses/items'
import { replayEvents } from '../inbound/openai-responses/replay'
import { deleteResponse, loadResponse, responseChain, type StoredResponse } from '../store/responses'
import { runStateRequest, type StateAnswer } from './stored-state'

const notFound = (id: string) => new GatewayError(404, `Response with id '${id}' not found.`, 'invalid_request_error')

const answer = (event: H3Event, pick: (keyId: string) => Promise<StateAnswer>) => runStateRequest(event, 'responses', ctx => pick(ctx.key.id))

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
  return { json: listPage([...conversationItems(earlier), ...last.input], query) }
})

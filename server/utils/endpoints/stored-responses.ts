// GET and DELETE /v1/responses/{id} (GET with `stream=true` replays it as events, and follows a
// background response still running here until it ends), GET /v1/responses/{id}/input_items and
// POST /v1/responses/{id}/cancel: the stored responses of the calling key. Another key's response
// is answered as OpenAI answers an unknown id (404). Rate-limited and logged as endpoint
// `responses` (./stored-state.ts).
import { getQuery, type H3Event } from 'h3'
import { badRequest, GatewayError } from '../core/errors'
import { InputItemsQuery, RetrieveQuery } from '../dialects/openai-responses'
import { jobEnded, stopJob } from '../gateway/background'
import { deleteAtOpenAI } from '../gateway/upstream-delete'
import { conversationItems, listPage } from '../inbound/openai-responses/items'
import { lastSequenceNumber, replayEvents } from '../inbound/openai-responses/replay'
import { broadcast } from '../shared/broadcast'
import { deleteResponse, type LoadedResponse, loadResponse, replaceResponse, responseChain } from '../store/responses'
import { runStateRequest, type StateAnswer } from './stored-state'

const notFound = (id: string) => new GatewayError(404, `Response with id '${id}' not found.`, 'invalid_request_error')

/** A background response not finished yet. */
const RUNNING = new Set(['queued', 'in_progress'])

const answer = (event: H3Event, pick: (keyId: string) => Promise<StateAnswer>) => runStateRequest(event, 'responses', ctx => pick(ctx.key.id))

async function stored(keyId: string, id: string): Promise<LoadedResponse> {
  const found = await loadResponse(keyId, id)
  if (!found) throw notFound(id)
  return found
}

/** The response, or with `stream=true` the events that make it. */
export const handleGetResponse = (event: H3Event, id: string) => answer(event, async (keyId) => {
  const query = RetrieveQuery.parse(getQuery(event))
  const { response } = await stored(keyId, id)
  if (query.stream !== 'true') return { json: response }
  const events = replayEvents(response, query.starting_after)
  if (!RUNNING.has(response.status as string)) return { events }
  // Followed while it runs on this instance; the rest of its events when it has ended.
  return {
    events,
    more: async () => {
      await jobEnded(id)
      const { response: now } = await stored(keyId, id)
      return replayEvents(now, Math.max(query.starting_after ?? -1, lastSequenceNumber(response)))
    },
  }
})

/** Deletes the response here, and at OpenAI when OpenAI holds it too. */
export const handleDeleteResponse = (event: H3Event, id: string) => answer(event, async (keyId) => {
  const { provider, upstreamStored } = await stored(keyId, id)
  if (!await deleteResponse(keyId, id)) throw notFound(id)
  if (upstreamStored) await deleteAtOpenAI(provider, id)
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

/** Attempts at recording a cancel while the run moves the response on (queued → in_progress). */
const CANCEL_ATTEMPTS = 5

/**
 * Cancels a background response: it is stored as cancelled and its run, here or on another
 * instance, is stopped (its upstream call aborted). One that has finished is answered as it is, as
 * OpenAI answers a second cancel; a response that was not made in the background cannot be cancelled.
 */
export const handleCancelResponse = (event: H3Event, id: string) => answer(event, async (keyId) => {
  for (let attempt = 1; ; attempt++) {
    const found = await stored(keyId, id)
    if (found.response.background !== true) throw badRequest('Cannot cancel a response that was not created with background=true.')
    if (!RUNNING.has(found.response.status as string)) return { json: found.response }
    const cancelled = { ...found.response, status: 'cancelled' }
    if (await replaceResponse(keyId, id, found.responseText, JSON.stringify(cancelled))) {
      if (!stopJob(id, 'cancelled')) broadcast('responses-cancel', id)
      return { json: cancelled }
    }
    if (attempt === CANCEL_ATTEMPTS) throw new GatewayError(409, 'The response changed while it was being cancelled; try again.', 'invalid_request_error', 'conflict')
  }
})

// GET and DELETE /v1/responses/{id} (GET with `stream=true` replays it as events, and follows a
// background response still running here until it ends), GET /v1/responses/{id}/input_items and
// POST /v1/responses/{id}/cancel: the stored responses of the calling key, in the request
// framework (rate limits, the request log) as every /v1 call. Another key's response is answered
// as OpenAI answers an unknown id (404).
import { getQuery, type H3Event } from 'h3'
import { badRequest, GatewayError } from '../core/errors'
import { InputItemsQuery, RetrieveQuery } from '../dialects/openai-responses'
import { jobEnded, stopJob } from '../gateway/background'
import type { AuthenticatedContext } from '../gateway/context'
import { finishRequest } from '../gateway/meter'
import { runGatewayRequest } from '../gateway/request'
import { sendJsonText, startEventStream, writeEvents } from '../gateway/respond'
import { deleteAtOpenAI } from '../gateway/upstream-delete'
import { conversationItems } from '../inbound/openai-responses/items'
import { lastSequenceNumber, replayEvents } from '../inbound/openai-responses/replay'
import { broadcast } from '../shared/broadcast'
import { deleteResponse, type LoadedResponse, loadResponse, replaceResponse, responseChain } from '../store/responses'

const notFound = (id: string) => new GatewayError(404, `Response with id '${id}' not found.`, 'invalid_request_error')

/** A background response not finished yet. */
const RUNNING = new Set(['queued', 'in_progress'])

/** Runs `body` as a /v1 request and logs it once it has answered. */
const answer = (event: H3Event, body: (ctx: AuthenticatedContext) => Promise<void>) =>
  runGatewayRequest(event, 'responses', async (_event, ctx) => {
    await body(ctx)
    finishRequest(ctx, 200)
  })

const sendJson = (event: H3Event, json: unknown) => sendJsonText(event, 200, JSON.stringify(json))

async function stored(keyId: string, id: string): Promise<LoadedResponse> {
  const found = await loadResponse(keyId, id)
  if (!found) throw notFound(id)
  return found
}

/** The response, or with `stream=true` the events that make it. */
export const handleGetResponse = (event: H3Event, id: string) => answer(event, async (ctx) => {
  const query = RetrieveQuery.parse(getQuery(event))
  const { response } = await stored(ctx.key.id, id)
  if (query.stream !== 'true') return sendJson(event, response)
  const res = event.node.res
  startEventStream(res, {})
  await writeEvents(res, replayEvents(response, query.starting_after))
  if (RUNNING.has(response.status as string)) {
    // Followed while it runs on this instance; the rest of its events when it has ended.
    await jobEnded(id)
    const { response: now } = await stored(ctx.key.id, id)
    await writeEvents(res, replayEvents(now, Math.max(query.starting_after ?? -1, lastSequenceNumber(response))))
  }
  res.end()
})

/** Deletes the response here, and at OpenAI when OpenAI holds it too. */
export const handleDeleteResponse = (event: H3Event, id: string) => answer(event, async (ctx) => {
  const { provider, upstreamStored } = await stored(ctx.key.id, id)
  if (!await deleteResponse(ctx.key.id, id)) throw notFound(id)
  if (provider === 'openai' && upstreamStored) await deleteAtOpenAI(id)
  sendJson(event, { id, object: 'response', deleted: true })
})

/**
 * The items a response was generated from (those of the turns it continued, then its own input),
 * newest first unless `order=asc`, a page of `limit` after the item `after`.
 */
export const handleListInputItems = (event: H3Event, id: string) => answer(event, async (ctx) => {
  const query = InputItemsQuery.parse(getQuery(event))
  const last = await stored(ctx.key.id, id)
  const earlier = last.previousResponseId ? (await responseChain(ctx.key.id, last)).slice(0, -1) : []
  const input = [...conversationItems(earlier), ...last.input]
  const ordered = query.order === 'asc' ? input : [...input].reverse()
  const from = query.after === undefined ? 0 : ordered.findIndex(item => item.id === query.after) + 1
  const data = from === 0 && query.after !== undefined ? [] : ordered.slice(from, from + query.limit)
  sendJson(event, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: from + data.length < ordered.length })
})

/** Attempts at recording a cancel while the run moves the response on (queued → in_progress). */
const CANCEL_ATTEMPTS = 5

/**
 * Cancels a background response: it is stored as cancelled and its run, here or on another
 * instance, is stopped (its upstream call aborted). One that has finished is answered as it is, as
 * OpenAI answers a second cancel; a response that was not made in the background cannot be cancelled.
 */
export const handleCancelResponse = (event: H3Event, id: string) => answer(event, async (ctx) => {
  for (let attempt = 1; ; attempt++) {
    const found = await stored(ctx.key.id, id)
    if (found.response.background !== true) throw badRequest('Cannot cancel a response that was not created with background=true.')
    if (!RUNNING.has(found.response.status as string)) return sendJson(event, found.response)
    const cancelled = { ...found.response, status: 'cancelled' }
    if (await replaceResponse(ctx.key.id, id, found.responseText, JSON.stringify(cancelled))) {
      if (!stopJob(id, 'cancelled')) broadcast('responses-cancel', id)
      return sendJson(event, cancelled)
    }
    if (attempt === CANCEL_ATTEMPTS) throw new GatewayError(409, 'The response changed while it was being cancelled; try again.', 'invalid_request_error', 'conflict')
  }
})

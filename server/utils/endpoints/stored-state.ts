// The path of every /v1 request that reads or changes the gateway's own state (stored responses,
// conversations) instead of calling a provider: authenticated and rate-limited per key, logged in
// the request log (no model, no cost) and answered with a JSON body or, for a replay, events.
import type { H3Event } from 'h3'
import type { AuthenticatedContext } from '../gateway/context'
import { finishRequest } from '../gateway/meter'
import { runGatewayRequest, sendCompletion } from '../gateway/request'
import { startEventStream, writeEvents } from '../gateway/respond'
import { ZERO_USAGE } from '../registry/cost'
import type { RequestRecord } from '../store/request-record'

/**
 * What a request is answered with: a JSON body, or server-sent events (with `more`, those sent now
 * and then the ones it resolves with, for a response still being made).
 */
export type StateAnswer = { json: unknown } | { events: string, more?: () => Promise<string> }

/** `pick` works out the answer for the calling key; anything it throws is sent as an OpenAI error. */
export function runStateRequest(event: H3Event, endpoint: RequestRecord['endpoint'], pick: (ctx: AuthenticatedContext) => Promise<StateAnswer>): Promise<void> {
  return runGatewayRequest(event, endpoint, async (event, ctx) => {
    const out = await pick(ctx)
    if ('json' in out) return sendCompletion(event, ctx, JSON.stringify(out.json), ZERO_USAGE)
    ctx.stream = true
    startEventStream(event.node.res, {})
    await writeEvents(event.node.res, out.events)
    if (out.more) await writeEvents(event.node.res, await out.more())
    event.node.res.end()
    finishRequest(ctx, 200)
  })
}

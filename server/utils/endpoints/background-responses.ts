// POST /v1/responses with `background: true`: the response is stored as `queued` and answered at
// once; this process then runs the call (queued → in_progress → completed, incomplete or failed),
// and GET /v1/responses/{id} polls it from the database, on any instance. OpenAI models are run here
// too rather than by OpenAI's own background mode: the gateway then holds the upstream call, so it
// meters it exactly from the answer's usage when it ends and a cancel aborts it at once.
// Every state change is a compare-and-set on the stored object, so a cancel recorded by another
// instance (which also tells this one to stop, through the broadcast) is never overwritten.
// The budget is reserved before the answer leaves (a key over its budget is refused with 429),
// the request is metered and logged when the run ends. At shutdown the run is given until the
// drain deadline, then stopped and stored as failed (app/lifecycle.ts).
import { consola } from 'consola'
import type { H3Event } from 'h3'
import { errorMessage } from '../core/error-message'
import { badRequest, type GatewayError, toGatewayError } from '../core/errors'
import type { ResponsesRequest } from '../dialects/openai-responses'
import { type BackgroundJob, startJob } from '../gateway/background'
import { ClientClosedError } from '../gateway/client-close'
import type { AuthenticatedContext } from '../gateway/context'
import { capForTarget, type Dispatched, dispatchToTarget, reserveForTarget } from '../gateway/dispatch'
import { answeredText } from '../gateway/estimate'
import { finishEstimated, finishRequest } from '../gateway/meter'
import { reportedUsage, upstreamAnswer } from '../gateway/request'
import { sendJsonText } from '../gateway/respond'
import { chatCompletionToResponse, type ResponseShell, type ResponseStatus, responseObject } from '../inbound/openai-responses/from-chat'
import { conversationEntry, conversationIdOf, type Item, itemId } from '../inbound/openai-responses/items'
import { type AnswerFailure, nativeAnswerOutcome } from '../inbound/openai-responses/native'
import type { TokenUsage } from '../registry/cost'
import { appendWrite } from '../store/conversations'
import { replaceResponse, responseWrite } from '../store/responses'
import { commit } from '../store/write'
import { isNative, type PreparedCall, prepareCall } from './response-call'

/** What a background response that was stopped by the gateway's shutdown is stored with. */
export const SHUTDOWN_ERROR = { code: 'server_error', message: 'The gateway shut down before this background response finished; create it again.' }

/** The error code of a failed response, from the failure that ended its run. */
const failedCode = (err: GatewayError) => (err.status === 429 ? 'rate_limit_exceeded' : err.status === 400 ? 'invalid_prompt' : 'server_error')

export async function startBackgroundResponse(event: H3Event, ctx: AuthenticatedContext, req: ResponsesRequest, size: number): Promise<void> {
  if (req.store === false) throw badRequest('Background mode requires store=true.', 'store', 'invalid_value')
  if (req.stream === true) {
    throw badRequest('This gateway does not stream background responses as they are created; create it without stream and poll GET /v1/responses/{id} (with stream=true to follow it).', 'stream', 'unsupported_value')
  }
  // Upstream the call is an ordinary one: the gateway does the background part, and stores it.
  const upstreamReq: ResponsesRequest = { ...req, background: undefined, stream: false, store: false }
  const call = await prepareCall(ctx, upstreamReq, undefined, size)
  const first = call.candidates[0]!
  // Built once now (the build is pure): a request its provider's adapter refuses is a 400, not queued.
  const cap = capForTarget(ctx, first, call.demand)
  call.build(first, cap)
  await reserveForTarget(ctx, first, call.demand, cap)
  const shell: ResponseShell = { id: itemId('resp'), createdAt: Math.floor(ctx.startedAt / 1000), req }
  const queued = JSON.stringify(stateOf(shell, 'queued'))
  await commit(responseWrite({
    id: shell.id,
    keyId: ctx.key.id,
    createdAt: Date.now(),
    provider: first.target.provider,
    // The gateway keeps it; OpenAI, if it answers, keeps nothing (store: false upstream).
    upstreamStored: false,
    previousResponseId: req.previous_response_id ?? null,
    input: call.input,
    response: JSON.parse(queued),
  }))
  ctx.detached = true
  startJob(shell.id, job => runBackground(job, ctx, call, shell, queued))
  sendJsonText(event, 200, queued)
}

const stateOf = (shell: ResponseShell, status: ResponseStatus, extra: Record<string, unknown> = {}) =>
  responseObject(shell, status, [], undefined, { background: true, ...extra })

/**
 * The upstream answer as the background response it ends, its usage (none when a compatible server
 * reported none: then the chat completion it was translated from is counted), and the failure it reports.
 */
function finalResponse(dispatched: Dispatched, text: string, shell: ResponseShell): { response: Record<string, unknown>, usage?: TokenUsage, chatCompletion?: string, failure?: AnswerFailure } {
  if (!isNative(dispatched)) {
    const answer = dispatched.adapter.chat.response(text, dispatched.target)
    const { response } = chatCompletionToResponse(answer.body, shell)
    return { response: { ...response, background: true }, usage: reportedUsage(answer), chatCompletion: answer.body }
  }
  // OpenAI answered an ordinary call: the response is the gateway's, under the id it was queued with.
  const answer = JSON.parse(text)
  const conversation = conversationIdOf(shell.req)
  const response = { ...answer, id: shell.id, background: true, store: true, previous_response_id: shell.req.previous_response_id ?? null, ...(conversation ? { conversation: { id: conversation } } : {}) }
  return { response, ...nativeAnswerOutcome(answer) }
}

async function runBackground(job: BackgroundJob, ctx: AuthenticatedContext, call: PreparedCall, shell: ResponseShell, queued: string): Promise<void> {
  let current = queued
  /** Writes the next state unless the stored one changed meanwhile (a cancel); returns whether it did. */
  const write = async (response: Record<string, unknown>) => {
    const next = JSON.stringify(response)
    if (!await replaceResponse(ctx.key.id, shell.id, current, next)) return false
    current = next
    return true
  }
  try {
    // Cancelled already (by a cancel that came before this run was known here): nothing is called.
    if (!await write(stateOf(shell, 'in_progress'))) job.stop('cancelled')
    const dispatched = await dispatchToTarget(ctx, call.candidates, call.demand, call.build, job.close)
    const { response, usage, chatCompletion, failure } = finalResponse(dispatched, await upstreamAnswer(ctx, dispatched.upstream), shell)
    const kept = await write(response)
    if (kept && call.conversation) {
      const items = [...call.input, ...(response.output as Item[] | undefined ?? [])].map(conversationEntry)
      await commit(appendWrite(ctx.key.id, call.conversation.id, items, Date.now()))
    }
    // The provider did the work even when it was cancelled a moment before it ended: it is billed.
    const status = kept ? failure?.status ?? 200 : 499
    const errorCode = kept ? failure?.code ?? null : 'cancelled'
    if (usage) finishRequest(ctx, status, usage, { errorCode })
    else await finishEstimated(ctx, status, errorCode, undefined, answeredText(chatCompletion ?? ''))
  }
  catch (error) {
    const err = toGatewayError(error)
    const reason = job.stopReason
    // A cancel has stored `cancelled` itself; a shutdown or a failure is stored here.
    if (reason !== 'cancelled') {
      const stored = reason === 'shutdown' ? SHUTDOWN_ERROR : { code: failedCode(err), message: err.message }
      await write(stateOf(shell, 'failed', { error: stored })).catch((e) => {
        consola.error(`[gateway] ${ctx.id} could not store the failure of background response ${shell.id}:`, errorMessage(e))
      })
    }
    const code = reason === 'shutdown' ? 'server_shutdown' : reason ?? err.code
    if (err instanceof ClientClosedError && err.providerBusy) await finishEstimated(ctx, 499, code)
    else finishRequest(ctx, reason ? 499 : err.status, undefined, { errorCode: code })
  }
}

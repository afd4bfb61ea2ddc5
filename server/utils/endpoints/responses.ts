// POST /v1/responses: OpenAI's Responses API for every provider, streamed and not. OpenAI models get
// the request natively (./inbound/openai-responses/native.ts); any other model is translated to the
// gateway's chat form, answered by its provider's adapter, and translated back. With `store` (the
// default) the response and its input are written before the answer leaves, so a follow-up naming
// it as previous_response_id works at once, on any instance; such a follow-up rebuilds the
// conversation from the store, except for an OpenAI model continuing a response OpenAI holds. A
// request naming a `conversation` (./conversations.ts) is given that conversation's items as its
// history, for every provider, and its input and output are added to it with the response.
// `background: true` is answered at once and run by ./background-responses.ts.
// Metered and logged like /v1/chat/completions.
import { consola } from 'consola'
import type { H3Event } from 'h3'
import { errorMessage } from '../core/error-message'
import { GatewayError } from '../core/errors'
import { ResponsesRequest } from '../dialects/openai-responses'
import { readJsonBody } from '../gateway/body'
import { ClientClose } from '../gateway/client-close'
import type { AuthenticatedContext } from '../gateway/context'
import { dispatchToTarget } from '../gateway/dispatch'
import { sendWarnings } from '../gateway/fit-target'
import { pipeStream } from '../gateway/pipe-stream'
import { reportedUsage, runGatewayRequest, sendCompletion, upstreamAnswer } from '../gateway/request'
import { type KeepResponse, responsesFromChunks, responsesNative } from '../gateway/stream-output'
import { chatCompletionToResponse, type ResponseShell } from '../inbound/openai-responses/from-chat'
import { conversationEntry, itemId } from '../inbound/openai-responses/items'
import { nativeAnswerOutcome, taggedResponse } from '../inbound/openai-responses/native'
import { responsesBodyUsage } from '../providers/openai/response'
import { appendWrite } from '../store/conversations'
import { responseWrite } from '../store/responses'
import { commit, type Write } from '../store/write'
import { startBackgroundResponse } from './background-responses'
import { isNative, prepareCall } from './response-call'

async function responses(event: H3Event, ctx: AuthenticatedContext): Promise<void> {
  const { body: req, text: raw, size } = await readJsonBody(event, ResponsesRequest, 'v1')
  if (req.background === true) return startBackgroundResponse(event, ctx, req, size)
  ctx.stream = req.stream === true
  const keyId = ctx.key.id
  const call = await prepareCall(ctx, req, raw, size)
  const { conversation, input } = call
  /** What the gateway adds to each response object: the conversation it belongs to. */
  const tag = conversation ? { conversation: { id: conversation.id } } : undefined
  const dispatched = await dispatchToTarget(ctx, call.candidates, call.demand, call.build, new ClientClose(event.node.res))
  sendWarnings(event, call.warnings)
  const { adapter, target, upstream } = dispatched
  const native = isNative(dispatched)
  // The response (with `store`) and the conversation's new items commit together.
  const keep: KeepResponse = async (response) => {
    if (typeof response.id !== 'string') return
    const writes: Write[] = []
    if (req.store !== false) {
      writes.push(responseWrite({
        id: response.id,
        keyId,
        createdAt: Date.now(),
        provider: target.provider,
        upstreamStored: native && response.store !== false,
        previousResponseId: req.previous_response_id ?? null,
        input,
        response,
      }))
    }
    if (conversation) writes.push(appendWrite(keyId, conversation.id, [...input, ...(response.output ?? [])].map(conversationEntry), Date.now()))
    if (!writes.length) return
    try {
      await commit(...writes)
    }
    catch (error) {
      // The answer is not sent as stored when it is not: the client learns so and may retry.
      consola.error(`[gateway] ${ctx.id} storing the response failed:`, errorMessage(error))
      throw new GatewayError(500, 'The gateway could not store the response.', 'api_error', 'store_failed')
    }
  }
  const shell: ResponseShell = { id: itemId('resp'), createdAt: Math.floor(ctx.startedAt / 1000), req }

  if (ctx.stream) {
    const output = native
      ? responsesNative(keep, tag)
      : responsesFromChunks(adapter.chat.stream(target, { includeUsage: true, id: `chatcmpl-${ctx.id}`, created: shell.createdAt }), shell, keep)
    await pipeStream(event, ctx, upstream, output)
    return
  }
  const text = await upstreamAnswer(ctx, upstream)
  if (native && req.store === false && !conversation) {
    // Nothing to keep: only the usage is read, as for a chat completion.
    await sendCompletion(event, ctx, text, responsesBodyUsage(text))
    return
  }
  if (native) {
    const response = taggedResponse(JSON.parse(text), tag)
    await keep(response)
    const { usage, failure } = nativeAnswerOutcome(response)
    await sendCompletion(event, ctx, tag ? JSON.stringify(response) : text, usage, { failure })
    return
  }
  const result = adapter.chat.response(text, target)
  const { response } = chatCompletionToResponse(result.body, shell)
  await keep(response)
  await sendCompletion(event, ctx, JSON.stringify(response), reportedUsage(result), { chatCompletion: result.body })
}

export const handleCreateResponse = (event: H3Event): Promise<void> => runGatewayRequest(event, 'responses', responses)

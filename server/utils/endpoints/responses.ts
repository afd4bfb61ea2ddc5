// POST /v1/responses: OpenAI's Responses API for every provider, streamed and not. OpenAI models get
// the request natively (./inbound/openai-responses/native.ts); any other model is translated to the
// gateway's chat form, answered by its provider's adapter, and translated back. With `store` (the
// default) the response and its input are written before the answer leaves, so a follow-up naming
// it as previous_response_id works at once, on any instance; such a follow-up rebuilds the
// conversation from the store, except for an OpenAI model continuing a response OpenAI holds.
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
import { pipeStream } from '../gateway/pipe-stream'
import { runGatewayRequest, sendCompletion, upstreamAnswer } from '../gateway/request'
import { type ResolvedModel, resolveTargets } from '../gateway/resolve'
import { type KeepResponse, responsesFromChunks, responsesNative } from '../gateway/stream-output'
import { chatCompletionToResponse, type ResponseShell } from '../inbound/openai-responses/from-chat'
import { conversationItems, inputItems, itemId } from '../inbound/openai-responses/items'
import { nativeResponsesRequest, nativeResponseUsage } from '../inbound/openai-responses/native'
import { responsesToChatRequest } from '../inbound/openai-responses/to-chat'
import type { ChatCompletionRequest } from '../dialects/openai'
import { responsesBodyUsage } from '../providers/openai/response'
import { openaiServedTier } from '../providers/openai/usage'
import { loadResponse, responseChain, saveResponse } from '../store/responses'

const isNative = (c: ResolvedModel) => c.target.provider === 'openai'

async function responses(event: H3Event, ctx: AuthenticatedContext): Promise<void> {
  const { body: req, text: raw, size } = await readJsonBody(event, ResponsesRequest, 'v1')
  ctx.stream = req.stream === true
  const keyId = ctx.key.id
  const previous = req.previous_response_id ? await loadResponse(keyId, req.previous_response_id) : undefined
  if (req.previous_response_id && !previous) {
    throw new GatewayError(400, `Previous response with id '${req.previous_response_id}' not found.`, 'invalid_request_error', 'previous_response_not_found', 'previous_response_id')
  }
  const history = previous ? conversationItems(await responseChain(keyId, previous)) : []
  const historyChars = history.length ? JSON.stringify(history).length : 0
  const input = inputItems(req.input)
  // OpenAI looks the previous response up itself when it holds it; otherwise it is sent the conversation.
  const openaiHolds = previous?.provider === 'openai' && previous.upstreamStored
  let chatRequest: ChatCompletionRequest | undefined
  ctx.promptText = () => JSON.stringify([req.instructions ?? '', history, input])
  const dispatched = await dispatchToTarget(
    ctx,
    resolveTargets(req.model, ctx.key, 'chat'),
    { promptChars: size + historyChars, maxOutputTokens: req.max_output_tokens, serviceTier: openaiServedTier(req.service_tier) },
    (c, maxOutputTokens) => (isNative(c)
      ? nativeResponsesRequest(req, c.target, { maxOutputTokens, raw, history: previous && !openaiHolds ? history : undefined })
      : c.adapter.chat.request(chatRequest ??= responsesToChatRequest(req, [...history, ...input]), c.target, { stream: ctx.stream, maxOutputTokens })),
    new ClientClose(event.node.res),
  )
  const { adapter, target, upstream } = dispatched
  const native = isNative(dispatched)
  const keep: KeepResponse = async (response) => {
    if (req.store === false || typeof response.id !== 'string') return
    try {
      await saveResponse({
        id: response.id,
        keyId,
        createdAt: Date.now(),
        provider: target.provider,
        upstreamStored: native && response.store !== false,
        previousResponseId: req.previous_response_id ?? null,
        input,
        response,
      })
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
      ? responsesNative(keep)
      : responsesFromChunks(adapter.chat.stream(target, { includeUsage: true, id: `chatcmpl-${ctx.id}`, created: shell.createdAt }), shell, keep)
    await pipeStream(event, ctx, upstream, output)
    return
  }
  const text = await upstreamAnswer(ctx, upstream)
  if (native && req.store === false) {
    // Nothing to keep: only the usage is read, as for a chat completion.
    sendCompletion(event, ctx, text, responsesBodyUsage(text))
    return
  }
  if (native) {
    const response = JSON.parse(text)
    await keep(response)
    sendCompletion(event, ctx, text, nativeResponseUsage(response))
    return
  }
  const result = adapter.chat.response(text, target)
  const { response } = chatCompletionToResponse(result.body, shell)
  await keep(response)
  sendCompletion(event, ctx, JSON.stringify(response), result.usage)
}

export const handleCreateResponse = (event: H3Event): Promise<void> => runGatewayRequest(event, 'responses', responses)

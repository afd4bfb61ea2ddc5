// POST /v1/messages: Anthropic's Messages API for apps built on the Anthropic SDK. Claude models go
// to Anthropic as sent (every Anthropic feature works); any other model is translated to the
// gateway's OpenAI form, answered by its provider, and translated back. Errors come in Anthropic's
// shape. Metered and logged like /v1/chat/completions.
import type { H3Event } from 'h3'
import { MessagesRequest } from '../dialects/anthropic'
import { readJsonBody } from '../gateway/body'
import { ClientClose } from '../gateway/client-close'
import type { AuthenticatedContext } from '../gateway/context'
import { dispatchToTarget } from '../gateway/dispatch'
import { fitChatRequest, sendWarnings } from '../gateway/fit-target'
import { pipeStream } from '../gateway/pipe-stream'
import { reportedUsage, runGatewayRequest, sendCompletion, upstreamAnswer } from '../gateway/request'
import { type ResolvedModel, resolveTargets } from '../gateway/resolve'
import { sendAnthropicError } from '../gateway/respond'
import { anthropicFromChunks, anthropicNative } from '../gateway/stream-output'
import { chatCompletionToMessage } from '../inbound/anthropic/from-openai'
import { nativeMessagesRequest, nativeResponseUsage } from '../inbound/anthropic/native'
import { messagesToChatRequest } from '../inbound/anthropic/to-openai'

/** Anthropic and servers that speak its Messages API get the request as sent. */
const isNative = (c: ResolvedModel) => c.adapter.type === 'anthropic' || c.adapter.type === 'anthropic-compatible'

async function messages(event: H3Event, ctx: AuthenticatedContext): Promise<void> {
  const { body: req, size } = await readJsonBody(event, MessagesRequest, 'v1')
  ctx.stream = req.stream === true
  ctx.promptText = () => JSON.stringify([req.system ?? '', req.messages])
  // What the target being tried could not take: the answering target's go out as headers.
  let warnings: string[] = []
  const dispatched = await dispatchToTarget(
    ctx,
    resolveTargets(req.model, ctx.key, 'chat'),
    { promptChars: size, maxOutputTokens: req.max_tokens, inferenceGeo: typeof req.inference_geo === 'string' ? req.inference_geo : undefined },
    (c, maxOutputTokens) => {
      warnings = []
      if (isNative(c)) return nativeMessagesRequest(req, c.target, { stream: ctx.stream, maxOutputTokens }, event.node.req.headers)
      return c.adapter.chat.request(fitChatRequest(messagesToChatRequest(req), c.target.entry, warnings), c.target, { stream: ctx.stream, maxOutputTokens })
    },
    new ClientClose(event.node.res),
  )
  sendWarnings(event, warnings)
  const { adapter, target, upstream } = dispatched
  const native = isNative(dispatched)

  if (ctx.stream) {
    const output = native
      ? anthropicNative()
      : anthropicFromChunks(adapter.chat.stream(target, { includeUsage: true, id: `chatcmpl-${ctx.id}`, created: Math.floor(ctx.startedAt / 1000) }), { id: `msg_${ctx.id}`, model: req.model, provider: target.provider })
    await pipeStream(event, ctx, upstream, output)
    return
  }
  const text = await upstreamAnswer(ctx, upstream)
  if (native) {
    await sendCompletion(event, ctx, text, nativeResponseUsage(text))
    return
  }
  const result = adapter.chat.response(text, target)
  await sendCompletion(event, ctx, JSON.stringify(chatCompletionToMessage(result.body, req.model, target.provider)), reportedUsage(result), { chatCompletion: result.body })
}

export const handleMessages = (event: H3Event): Promise<void> => runGatewayRequest(event, 'messages', messages, sendAnthropicError)

// POST /v1/messages: Anthropic's Messages API for apps built on the Anthropic SDK. Claude models go
// to Anthropic as sent (every Anthropic feature works); any other model is translated to the
// gateway's OpenAI form, answered by its provider, and translated back. Errors come in Anthropic's
// shape. Metered and logged like /v1/chat/completions.
import type { H3Event } from 'h3'
import { chatCompletionToMessage } from '../inbound/anthropic/from-openai'
import { toAnthropicError } from '../inbound/anthropic/errors'
import { nativeMessagesRequest, nativeResponseUsage } from '../inbound/anthropic/native'
import { MessagesRequest } from '../dialects/anthropic'
import { messagesToChatRequest } from '../inbound/anthropic/to-openai'
import { readJsonBody } from './body'
import { ClientClose } from './client-close'
import type { GatewayError } from '../core/errors'
import { finishRequest, markFirstByte } from './meter'
import { dispatch } from './dispatch'
import { begin, gatewayHeaders, pipeStream, run, upstreamText } from './pipeline'
import { type ResolvedModel, resolveTargets } from './resolve'
import { sendErrorBody, sendJsonText } from './respond'
import { anthropicFromChunks, anthropicNative } from './stream-output'

export function sendAnthropicError(event: H3Event, error: GatewayError): void {
  sendErrorBody(event, error, toAnthropicError(error.status, error.message, error.type))
}

export function handleMessages(event: H3Event): Promise<void> {
  const ctx = begin(event, 'messages')
  return run(event, ctx, async () => {
    const { body: req, size } = await readJsonBody(event, MessagesRequest, 'v1')
    ctx.stream = req.stream === true
    ctx.promptText = () => JSON.stringify([req.system ?? '', req.messages])
    const isNative = (c: ResolvedModel) => c.target.provider === 'anthropic'
    const dispatched = await dispatch(
      ctx,
      resolveTargets(req.model, ctx.key!, 'chat'),
      { promptChars: size, maxOutputTokens: req.max_tokens },
      (c, maxOutputTokens) => (isNative(c)
        ? nativeMessagesRequest(req, c.target, { stream: ctx.stream, maxOutputTokens }, event.node.req.headers)
        : c.adapter.chat.request(messagesToChatRequest(req), c.target, { stream: ctx.stream, maxOutputTokens })),
      new ClientClose(event.node.res),
    )
    const { adapter, target, upstream } = dispatched
    const native = isNative(dispatched)

    if (ctx.stream) {
      const output = native
        ? anthropicNative()
        : anthropicFromChunks(adapter.chat.stream(target, { includeUsage: true, id: `chatcmpl-${ctx.id}`, created: Math.floor(ctx.startedAt / 1000) }), { id: `msg_${ctx.id}`, model: req.model })
      await pipeStream(event, ctx, upstream, output)
      return
    }
    const text = await upstreamText(upstream)
    markFirstByte(ctx)
    if (native) {
      sendJsonText(event, 200, text, gatewayHeaders(ctx))
      finishRequest(ctx, 200, nativeResponseUsage(text))
      return
    }
    const result = adapter.chat.response(text, target)
    sendJsonText(event, 200, JSON.stringify(chatCompletionToMessage(result.body, req.model)), gatewayHeaders(ctx))
    finishRequest(ctx, 200, result.usage)
  }, sendAnthropicError)
}

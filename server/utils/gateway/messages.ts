// POST /v1/messages: Anthropic's Messages API for apps built on the Anthropic SDK. Claude models go
// to Anthropic as sent (every Anthropic feature works); any other model is translated to the
// gateway's OpenAI form, answered by its provider, and translated back. Errors come in Anthropic's
// shape. Metered and logged like /v1/chat/completions.
import type { H3Event } from 'h3'
import { chatCompletionToMessage } from '../inbound/anthropic/from-openai'
import { toAnthropicError } from '../inbound/anthropic/errors'
import { nativeMessagesRequest, nativeResponseUsage } from '../inbound/anthropic/native'
import { MessagesRequest } from '../inbound/anthropic/schema'
import { messagesToChatRequest } from '../inbound/anthropic/to-openai'
import { readJsonBody } from './body'
import type { GatewayError } from './errors'
import { finishRequest, markFirstByte } from './meter'
import { begin, gatewayHeaders, pipeStream, run, upstreamOrFail, upstreamText } from './pipeline'
import { resolveModel } from './resolve'
import { clientAbortSignal, sendErrorBody, sendJsonText } from './respond'
import { anthropicFromChunks, anthropicNative } from './stream-output'
import { callUpstream } from './upstream'

function sendAnthropicError(event: H3Event, error: GatewayError): void {
  sendErrorBody(event, error, toAnthropicError(error.status, error.message, error.type))
}

export function handleMessages(event: H3Event): Promise<void> {
  const ctx = begin(event, 'messages')
  return run(event, ctx, async () => {
    const req = await readJsonBody(event, MessagesRequest)
    const { adapter, target } = resolveModel(req.model, ctx.key!, 'chat')
    ctx.provider = target.provider
    ctx.entry = target.entry
    ctx.stream = req.stream === true
    const signal = clientAbortSignal(event)
    const native = target.provider === 'anthropic'
    const upstreamRequest = native
      ? nativeMessagesRequest(req, target, ctx.stream, event.node.req.headers)
      : adapter.chat.request(messagesToChatRequest(req), target, ctx.stream)
    const upstream = await callUpstream(upstreamRequest, signal)
    await upstreamOrFail(adapter, upstream)

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
      finishRequest(ctx, 200, nativeResponseUsage(text))
      sendJsonText(event, 200, text, gatewayHeaders(ctx))
      return
    }
    const result = adapter.chat.response(text, target)
    finishRequest(ctx, 200, result.usage)
    sendJsonText(event, 200, JSON.stringify(chatCompletionToMessage(result.body, req.model)), gatewayHeaders(ctx))
  }, sendAnthropicError)
}

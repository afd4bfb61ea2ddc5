// The /v1 request walk: auth → limits → body → resolve model → provider adapter → upstream → meter → log.
// Route handlers are one line each; everything a request goes through is in this file, in order.
import { createParser } from 'eventsource-parser'
import type { H3Event } from 'h3'
import type { ProviderAdapter, ProviderFailure } from '../providers/types'
import { StreamFailure } from '../providers/types'
import { ZERO_USAGE } from '../registry/cost'
import { authenticate } from './auth'
import { readJsonBody } from './body'
import { GatewayError, toGatewayError } from './errors'
import { checkBudget, checkRpm } from './limits'
import { beginRequest, finishRequest, markFirstByte, type RequestContext } from './meter'
import { resolveModel } from './resolve'
import { clientAbortSignal, sendOpenAIError, sendJsonText, startEventStream, writeEvents } from './respond'
import { ChatCompletionRequest, EmbeddingsRequest } from './schemas'
import { openaiChunks, type StreamOutput } from './stream-output'
import { callUpstream, type UpstreamResponse, upstreamTransportError } from './upstream'

export const failureError = (f: ProviderFailure) => new GatewayError(f.status, f.message, f.type, f.code)

/** The request's context, also left on the event for the access log. */
export function begin(event: H3Event, endpoint: RequestContext['endpoint']): RequestContext {
  const ctx = beginRequest(endpoint, event.context.requestId)
  event.context.gateway = ctx
  return ctx
}

export function gatewayHeaders(ctx: RequestContext): Record<string, string> {
  const headers: Record<string, string> = {}
  if (ctx.provider) headers['x-gateway-provider'] = ctx.provider
  if (ctx.entry) headers['x-gateway-model'] = ctx.entry.id
  return headers
}

type ErrorSender = (event: H3Event, error: GatewayError) => void

/** Runs `body` for an authenticated, limit-checked request; any failure is logged and sent in the client's error shape. */
export async function run(event: H3Event, ctx: RequestContext, body: (ctx: RequestContext) => Promise<void>, sendError: ErrorSender = sendOpenAIError): Promise<void> {
  try {
    ctx.key = await authenticate(event)
    checkBudget(ctx.key)
    checkRpm(ctx.key)
    await body(ctx)
  }
  catch (error) {
    const err = toGatewayError(error)
    if (err.status >= 500 && !(error instanceof GatewayError)) console.error(`[gateway] ${ctx.id} failed:`, error)
    finishRequest(ctx, err.status, undefined, { errorCode: err.code })
    sendError(event, err)
  }
}

export async function upstreamOrFail(adapter: ProviderAdapter, res: UpstreamResponse): Promise<void> {
  if (res.statusCode < 400) return
  const text = await res.body.text().catch(() => '')
  throw failureError(adapter.error(res.statusCode, text))
}

/** The whole upstream body as text; a connection lost midway is the upstream's failure. */
export function upstreamText(upstream: UpstreamResponse): Promise<string> {
  return upstream.body.text().catch((e) => { throw upstreamTransportError(e) })
}

export function handleChatCompletions(event: H3Event): Promise<void> {
  const ctx = begin(event, 'chat')
  return run(event, ctx, async () => {
    const req = await readJsonBody(event, ChatCompletionRequest)
    const { adapter, target } = resolveModel(req.model, ctx.key!, 'chat')
    ctx.provider = target.provider
    ctx.entry = target.entry
    ctx.stream = req.stream === true
    const signal = clientAbortSignal(event)
    const upstream = await callUpstream(adapter.chat.request(req, target, ctx.stream), signal)
    await upstreamOrFail(adapter, upstream)
    if (!ctx.stream) {
      const text = await upstreamText(upstream)
      markFirstByte(ctx)
      const result = adapter.chat.response(text, target)
      finishRequest(ctx, 200, result.usage)
      sendJsonText(event, 200, result.body, gatewayHeaders(ctx))
      return
    }
    const translator = adapter.chat.stream(target, {
      includeUsage: req.stream_options?.include_usage === true,
      id: `chatcmpl-${ctx.id}`,
      created: Math.floor(ctx.startedAt / 1000),
    })
    await pipeStream(event, ctx, upstream, openaiChunks(translator))
  })
}

/**
 * Pipes an upstream event stream to the client in its dialect, one write per upstream read. Errors
 * after the first byte reach the client as an error event its SDK raises.
 */
export async function pipeStream(event: H3Event, ctx: RequestContext, upstream: UpstreamResponse, output: StreamOutput): Promise<void> {
  const res = event.node.res
  let out = ''
  const parser = createParser({
    onEvent: (e) => { out += output.event({ event: e.event, data: e.data }) },
  })
  startEventStream(res, gatewayHeaders(ctx))
  let status = 200
  let errorCode: string | null = null
  try {
    const decoder = new TextDecoder()
    for await (const chunk of upstream.body) {
      parser.feed(decoder.decode(chunk as Buffer, { stream: true }))
      if (out) {
        markFirstByte(ctx)
        const text = out
        out = ''
        await writeEvents(res, text)
      }
    }
    await writeEvents(res, out + output.end())
  }
  catch (error) {
    const err = error instanceof StreamFailure ? failureError(error.failure) : upstreamTransportError(error)
    status = err.status
    errorCode = err.code
    if (!res.destroyed) await writeEvents(res, out + output.error(err))
  }
  finally {
    if (!res.writableEnded) res.end()
  }
  finishRequest(ctx, status, output.usage() ?? ZERO_USAGE, { errorCode, estimated: status === 499 && !output.usage() })
}

export function handleEmbeddings(event: H3Event): Promise<void> {
  const ctx = begin(event, 'embeddings')
  return run(event, ctx, async () => {
    const req = await readJsonBody(event, EmbeddingsRequest)
    const { adapter, target } = resolveModel(req.model, ctx.key!, 'embedding')
    ctx.provider = target.provider
    ctx.entry = target.entry
    if (!adapter.embeddings) {
      throw new GatewayError(400, `The provider of '${req.model}' offers no embeddings through this gateway.`, 'invalid_request_error', 'model_not_supported', 'model')
    }
    const upstream = await callUpstream(adapter.embeddings.request(req, target), clientAbortSignal(event))
    await upstreamOrFail(adapter, upstream)
    const text = await upstreamText(upstream)
    markFirstByte(ctx)
    const result = adapter.embeddings.response(text, target, req)
    finishRequest(ctx, 200, result.usage)
    sendJsonText(event, 200, result.body, gatewayHeaders(ctx))
  })
}

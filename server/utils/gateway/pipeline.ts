// The /v1 request walk: auth → limits → body → resolve model or route → dispatch to a provider
// adapter (retries, fallback, circuit breaker, budget reservation) → upstream → meter → log.
// Route handlers are one line each; everything a request goes through is in this file, in order.
import { consola } from 'consola'
import { createParser } from 'eventsource-parser'
import type { H3Event } from 'h3'
import { StreamFailure } from '../providers/types'
import { ZERO_USAGE } from '../registry/cost'
import { authenticate } from './auth'
import { ClientClose, ClientClosedError } from './client-close'
import { readJsonBody } from './body'
import { dispatch } from './dispatch'
import { GatewayError, toGatewayError } from '../core/errors'
import { checkRates } from './limits'
import { beginRequest, finishCutShort, finishRequest, markFirstByte, type RequestContext } from './meter'
import { resolveTargets } from './resolve'
import { sendJsonText, sendOpenAIError, startEventStream, writeEvents } from './respond'
import { failureError } from './retry'
import { ChatCompletionRequest, EmbeddingsRequest } from '../dialects/openai'
import { openaiChunks, type StreamOutput } from './stream-output'
import { type UpstreamResponse, upstreamTransportError } from './upstream'

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

/**
 * Runs `body` for an authenticated, rate-checked request; any failure is logged and sent in the
 * client's error shape. A client that left while a provider was answering is billed its prompt.
 */
export async function run(event: H3Event, ctx: RequestContext, body: (ctx: RequestContext) => Promise<void>, sendError: ErrorSender = sendOpenAIError): Promise<void> {
  try {
    ctx.key = await authenticate(event)
    await checkRates(ctx.key)
    await body(ctx)
  }
  catch (error) {
    const err = toGatewayError(error)
    if (err.status >= 500 && !(error instanceof GatewayError)) consola.error(`[gateway] ${ctx.id} failed:`, error)
    sendError(event, err)
    if (err instanceof ClientClosedError && err.providerBusy) await finishCutShort(ctx, err.status, err.code)
    else finishRequest(ctx, err.status, undefined, { errorCode: err.code })
  }
}

/** The whole upstream body as text; a connection lost midway is the upstream's failure. */
export function upstreamText(upstream: UpstreamResponse): Promise<string> {
  return upstream.text().catch((e) => { throw upstreamTransportError(e) })
}

export function handleChatCompletions(event: H3Event): Promise<void> {
  const ctx = begin(event, 'chat')
  return run(event, ctx, async () => {
    const { body: req, text: raw, size } = await readJsonBody(event, ChatCompletionRequest, 'v1')
    ctx.stream = req.stream === true
    ctx.promptText = () => JSON.stringify(req.messages)
    const { adapter, target, upstream } = await dispatch(
      ctx,
      resolveTargets(req.model, ctx.key!, 'chat'),
      { promptChars: size, maxOutputTokens: req.max_completion_tokens ?? req.max_tokens, choices: req.n ?? 1 },
      (c, maxOutputTokens) => c.adapter.chat.request(req, c.target, { stream: ctx.stream, maxOutputTokens, raw }),
      new ClientClose(event.node.res),
    )
    if (!ctx.stream) {
      const text = await upstreamText(upstream)
      markFirstByte(ctx)
      const result = adapter.chat.response(text, target)
      // The answer leaves first; metering (request log, metrics, spend) follows in the same turn.
      sendJsonText(event, 200, result.body, gatewayHeaders(ctx))
      finishRequest(ctx, 200, result.usage)
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
 * after the first byte reach the client as an error event its SDK raises. A client that goes away
 * aborts the upstream call; the request is still metered, from usage seen or by counting.
 */
export async function pipeStream(event: H3Event, ctx: RequestContext, upstream: UpstreamResponse, output: StreamOutput): Promise<void> {
  const res = event.node.res
  let out = ''
  const sent: string[] = []
  const parser = createParser({
    onEvent: (e) => { out += output.event({ event: e.event, data: e.data }) },
  })
  startEventStream(res, gatewayHeaders(ctx))
  let status = 200
  let errorCode: string | null = null
  try {
    const decoder = new TextDecoder()
    for await (const chunk of upstream) {
      parser.feed(decoder.decode(chunk as Buffer, { stream: true }))
      if (out) {
        markFirstByte(ctx)
        sent.push(out)
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
  if (status === 499) await finishCutShort(ctx, status, errorCode, output.usage(), sent.join(''))
  else finishRequest(ctx, status, output.usage() ?? ZERO_USAGE, { errorCode })
}

export function handleEmbeddings(event: H3Event): Promise<void> {
  const ctx = begin(event, 'embeddings')
  return run(event, ctx, async () => {
    const { body: req, text: raw, size } = await readJsonBody(event, EmbeddingsRequest, 'v1')
    ctx.promptText = () => (typeof req.input === 'string' ? req.input : JSON.stringify(req.input))
    const candidates = resolveTargets(req.model, ctx.key!, 'embedding')
    const unsupported = candidates.find(c => !c.adapter.embeddings)
    if (unsupported) {
      throw new GatewayError(400, `The provider of '${unsupported.target.model}' offers no embeddings through this gateway.`, 'invalid_request_error', 'model_not_supported', 'model')
    }
    const { adapter, target, upstream } = await dispatch(
      ctx,
      candidates,
      { promptChars: size },
      c => c.adapter.embeddings!.request(req, c.target, raw),
      new ClientClose(event.node.res),
    )
    const text = await upstreamText(upstream)
    markFirstByte(ctx)
    const result = adapter.embeddings!.response(text, target, req)
    sendJsonText(event, 200, result.body, gatewayHeaders(ctx))
    finishRequest(ctx, 200, result.usage)
  })
}

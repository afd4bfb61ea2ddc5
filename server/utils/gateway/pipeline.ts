// The /v1 request walk: auth → limits → body → resolve model → provider adapter → upstream → meter → log.
// Route handlers are one line each; everything a request goes through is in this file, in order.
import { createParser } from 'eventsource-parser'
import type { H3Event } from 'h3'
import type { ChatStreamTranslator, ProviderAdapter, ProviderFailure } from '../providers/types'
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
import { callUpstream, type UpstreamResponse, upstreamTransportError } from './upstream'

const failureError = (f: ProviderFailure) => new GatewayError(f.status, f.message, f.type, f.code)

function requestId(event: H3Event): string | undefined {
  const incoming = event.node.req.headers['x-request-id']
  return typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : undefined
}

function gatewayHeaders(ctx: RequestContext): Record<string, string> {
  const headers: Record<string, string> = { 'x-request-id': ctx.id }
  if (ctx.provider) headers['x-gateway-provider'] = ctx.provider
  if (ctx.entry) headers['x-gateway-model'] = ctx.entry.id
  return headers
}

/** Runs `body` for an authenticated, limit-checked request; any failure is logged and sent as OpenAI's error. */
async function run(event: H3Event, ctx: RequestContext, body: (ctx: RequestContext) => Promise<void>): Promise<void> {
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
    sendOpenAIError(event, err, { 'x-request-id': ctx.id })
  }
}

async function upstreamOrFail(adapter: ProviderAdapter, res: UpstreamResponse): Promise<void> {
  if (res.statusCode < 400) return
  const text = await res.body.text().catch(() => '')
  throw failureError(adapter.error(res.statusCode, text))
}

export function handleChatCompletions(event: H3Event): Promise<void> {
  const ctx = beginRequest('chat', requestId(event))
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
      const text = await upstream.body.text().catch((e) => { throw upstreamTransportError(e) })
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
    await pipeStream(event, ctx, upstream, translator)
  })
}

/**
 * Pipes an upstream event stream to the client as OpenAI chunks, one write per upstream read. Errors
 * after the first byte reach the client as a `data: {"error":…}` event, which the SDKs raise.
 */
async function pipeStream(event: H3Event, ctx: RequestContext, upstream: UpstreamResponse, translator: ChatStreamTranslator): Promise<void> {
  const res = event.node.res
  let out = ''
  const parser = createParser({
    onEvent: (e) => {
      for (const payload of translator.push({ event: e.event, data: e.data })) out += `data: ${payload}\n\n`
    },
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
    for (const payload of translator.end()) out += `data: ${payload}\n\n`
    await writeEvents(res, `${out}data: [DONE]\n\n`)
  }
  catch (error) {
    const err = error instanceof StreamFailure ? failureError(error.failure) : upstreamTransportError(error)
    status = err.status
    errorCode = err.code
    if (!res.destroyed) await writeEvents(res, `${out}data: ${JSON.stringify(err)}\n\n`)
  }
  finally {
    if (!res.writableEnded) res.end()
  }
  finishRequest(ctx, status, translator.usage() ?? ZERO_USAGE, { errorCode, estimated: status === 499 && !translator.usage() })
}

export function handleEmbeddings(event: H3Event): Promise<void> {
  const ctx = beginRequest('embeddings', requestId(event))
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
    const text = await upstream.body.text().catch((e) => { throw upstreamTransportError(e) })
    markFirstByte(ctx)
    const result = adapter.embeddings.response(text, target, req)
    finishRequest(ctx, 200, result.usage)
    sendJsonText(event, 200, result.body, gatewayHeaders(ctx))
  })
}

// The spans of a /v1 call, after OpenTelemetry's GenAI semantic conventions: one server span per
// call, and under it a client span per upstream attempt (retries and fallbacks as siblings, each with
// its status, the answering one with an event at the first byte), whose context travels upstream in
// traceparent. Every function here is a no-op when tracing is off (the context holds no span).
import { type Attributes, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { incomingContext, injectContext, tracer } from '../core/tracing'
import { nanoToUsdText } from '../core/money'
import type { UpstreamRequest } from '../providers/types'
import type { RequestRecord } from '../store/request-record'
import type { RequestContext } from './context'
import { providerAccess } from './connections'

const OPERATIONS: Record<RequestRecord['endpoint'], string> = {
  chat: 'chat', messages: 'chat', responses: 'chat', embeddings: 'embeddings', conversations: 'conversations',
}

// The conventions' gen_ai.provider.name values, by connection type, then by preset of a compatible server.
const BY_TYPE: Record<string, string> = {
  'openai': 'openai', 'anthropic': 'anthropic', 'anthropic-compatible': 'anthropic', 'google': 'gcp.gemini',
  'azure': 'azure.ai.openai', 'vertex': 'gcp.vertex_ai', 'bedrock': 'aws.bedrock',
}
const BY_PRESET: Record<string, string> = { groq: 'groq', deepseek: 'deepseek', mistral: 'mistral_ai', xai: 'x_ai' }

/** The gen_ai.provider.name of a connection: the conventions' value where there is one, else its name. */
export function genAiProviderName(connection: string): string {
  const a = providerAccess(connection)
  const type = a?.type ?? connection
  return BY_TYPE[type] ?? (a?.preset ? BY_PRESET[a.preset] : undefined) ?? connection
}

/** Starts the request's server span, continuing an incoming traceparent. */
export function startRequestSpan(ctx: RequestContext, headers: Record<string, string | string[] | undefined>): void {
  const t = tracer()
  if (!t) return
  const operation = OPERATIONS[ctx.endpoint]
  ctx.span = t.startSpan(operation, {
    kind: SpanKind.SERVER,
    startTime: ctx.startedAt,
    attributes: { 'gen_ai.operation.name': operation, 'gateway.request.id': ctx.id, 'gateway.endpoint': ctx.endpoint },
  }, incomingContext(headers))
}

/** Names the server span after the model once the request's model resolved. */
export function spanRequestModel(ctx: RequestContext, model: string): void {
  if (!ctx.span) return
  ctx.span.updateName(`${OPERATIONS[ctx.endpoint]} ${model}`)
  ctx.span.setAttributes({ 'gen_ai.request.model': model, 'gen_ai.request.stream': ctx.stream })
}

/** Starts a client span for one upstream attempt and puts its trace context on the request's headers. */
export function startAttemptSpan(ctx: RequestContext, connection: string, model: string, request: UpstreamRequest): Span | undefined {
  const t = tracer()
  if (!t || !ctx.span) return undefined
  const parent = trace.setSpan(ROOT_CONTEXT, ctx.span)
  const operation = OPERATIONS[ctx.endpoint]
  const span = t.startSpan(`${operation} ${model}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': genAiProviderName(connection),
      'gen_ai.request.model': model,
      'gateway.connection': connection,
      'server.address': hostOf(request.url),
    },
  }, parent)
  injectContext(trace.setSpan(parent, span), request.headers)
  return span
}

const hostOf = (url: string) => URL.canParse(url) ? new URL(url).host : ''

/** Ends a failed attempt's span with its error (a retry or a fallback follows it, or the request fails). */
export function failAttemptSpan(span: Span | undefined, status: number, code: string | null | undefined): void {
  if (!span) return
  span.setAttributes({ 'http.response.status_code': status, 'error.type': code ?? String(status) })
  span.setStatus({ code: SpanStatusCode.ERROR, message: code ?? undefined })
  span.end()
}

/** Marks the first byte of the answer on the attempt that is answering. */
export function spanFirstByte(ctx: RequestContext): void {
  ctx.attemptSpan?.addEvent('gen_ai.first_byte')
}

/** What the answer was metered from, on both the server span and the answering attempt's. */
function usageAttributes(record: RequestRecord): Attributes {
  const attributes: Attributes = {
    'gen_ai.usage.input_tokens': record.promptTokens,
    'gen_ai.usage.output_tokens': record.completionTokens,
    'gen_ai.usage.cache_read.input_tokens': record.cachedTokens,
    'gen_ai.usage.cache_creation.input_tokens': record.cacheWriteTokens,
    'gen_ai.usage.reasoning.output_tokens': record.reasoningTokens,
    'gateway.estimated_usage': record.estimated,
  }
  if (record.model) attributes['gen_ai.response.model'] = record.model
  if (record.serviceTier) attributes['gen_ai.openai.response.service_tier'] = record.serviceTier
  return attributes
}

/** Ends the spans with what the request was metered at. */
export function endRequestSpans(ctx: RequestContext, record: RequestRecord): void {
  const span = ctx.span
  if (!span) return
  const attributes: Attributes = { ...usageAttributes(record), 'http.response.status_code': record.status, 'gateway.key.id': record.keyId }
  if (record.provider) attributes['gen_ai.provider.name'] = genAiProviderName(record.provider)
  if (!record.unpriced) attributes['gateway.cost_usd'] = nanoToUsdText(record.costNanoUsd)
  const attempt = ctx.attemptSpan
  if (attempt) {
    attempt.setAttributes(usageAttributes(record))
    if (record.status >= 400) attempt.setStatus({ code: SpanStatusCode.ERROR, message: record.errorCode ?? undefined })
    attempt.end()
  }
  span.setAttributes(attributes)
  endSpan(ctx, record.status, record.errorCode)
}

/** Ends a request's server span that no metering ended: one refused before its key was known, or not metered. */
export function endUnmeteredSpan(ctx: RequestContext, status: number, code: string | null): void {
  if (!ctx.span) return
  ctx.span.setAttribute('http.response.status_code', status)
  endSpan(ctx, status, code)
}

function endSpan(ctx: RequestContext, status: number, code: string | null): void {
  if (status >= 400) ctx.span!.setStatus({ code: SpanStatusCode.ERROR, message: code ?? undefined })
  if (code) ctx.span!.setAttribute('error.type', code)
  ctx.span!.end()
  ctx.span = undefined
  ctx.attemptSpan = undefined
}

// The /v1 request framework every endpoint runs in: it starts the request's context (left on the
// event for the access log), authenticates the key and checks its rates, runs the endpoint, and
// shapes and meters any failure in the client's dialect. A non-stream answer ends with
// sendCompletion; a stream with pipeStream (./pipe-stream.ts).
import type { H3Event } from 'h3'
import type { AnswerFailure } from '../inbound/openai-responses/native'
import type { TokenUsage } from '../registry/cost'
import type { TranslatedAnswer } from '../providers/types'
import { authenticate } from './auth'
import { ClientClosedError } from './client-close'
import { type AuthenticatedContext, newRequestContext, type RequestContext } from './context'
import { checkRates } from './limits'
import { answeredText } from './estimate'
import { finishEstimated, finishRequest, markFirstByte } from './meter'
import { type ErrorSender, gatewayHeaders, sendFailure, sendJsonText, sendOpenAIError } from './respond'
import { endUnmeteredSpan, startRequestSpan } from './trace'
import { type UpstreamResponse, upstreamTransportError } from './upstream'

/** What an endpoint does for a request once its key authenticated and its rates allow it. */
type EndpointBody = (event: H3Event, ctx: AuthenticatedContext) => Promise<void>

/**
 * Runs `body` for an authenticated, rate-checked request; any failure is logged and sent in the
 * client's error shape. A client that left while a provider was answering is billed its prompt.
 */
export async function runGatewayRequest(event: H3Event, endpoint: RequestContext['endpoint'], body: EndpointBody, sendError: ErrorSender = sendOpenAIError): Promise<void> {
  const ctx = newRequestContext(endpoint, event.context.requestId)
  event.context.gateway = ctx
  startRequestSpan(ctx, event.node.req.headers)
  try {
    ctx.key = await authenticate(event)
    await checkRates(ctx.key)
    // The key is set: from here on the context is an authenticated one.
    await body(event, ctx as AuthenticatedContext)
    if (!ctx.detached) endUnmeteredSpan(ctx, event.node.res.statusCode, null)
  }
  catch (error) {
    const err = sendFailure(event, error, `[gateway] ${ctx.id}`, sendError)
    if (err instanceof ClientClosedError && err.providerBusy) await finishEstimated(ctx, err.status, err.code)
    else finishRequest(ctx, err.status, undefined, { errorCode: err.code })
    endUnmeteredSpan(ctx, err.status, err.code)
  }
}

/**
 * The whole upstream answer as text, its arrival marked as the request's first byte; a connection
 * lost midway is the upstream's failure.
 */
export async function upstreamAnswer(ctx: RequestContext, upstream: UpstreamResponse): Promise<string> {
  let text: string
  const readAt = performance.now()
  try {
    text = await upstream.text()
  }
  catch (error) {
    throw upstreamTransportError(error)
  }
  finally {
    ctx.upstreamMs += performance.now() - readAt
  }
  markFirstByte(ctx)
  return text
}

/** An answer's usage; undefined when the upstream reported none. */
export const reportedUsage = (answer: TranslatedAnswer): TokenUsage | undefined => (answer.usageMissing ? undefined : answer.usage)

/**
 * Ends a non-stream request. With usage it is metered first, so that the answer carries its cost
 * (x-gateway-cost-usd), and leaves in the same turn; without, the answer leaves first and counting follows.
 * An answer that reports a failure in its body (a failed response) is logged as that failure. Without
 * usage (a compatible server that reported none) the prompt and the answer (`chatCompletion`: the chat
 * completion it was translated from, else the body) are counted, flagged estimated.
 */
export async function sendCompletion(
  event: H3Event,
  ctx: RequestContext,
  body: string,
  usage: TokenUsage | undefined,
  answer: { chatCompletion?: string, failure?: AnswerFailure } = {},
): Promise<void> {
  const status = answer.failure?.status ?? 200
  const errorCode = answer.failure?.code ?? null
  if (usage) finishRequest(ctx, status, usage, { errorCode })
  sendJsonText(event, 200, body, gatewayHeaders(ctx))
  if (!usage) await finishEstimated(ctx, status, errorCode, undefined, answeredText(answer.chatCompletion ?? body))
}

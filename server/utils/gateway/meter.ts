// Metering: every request that passed authentication ends here, exactly once, with its status, usage
// and cost from the registry prices. The row goes to the buffered request log, and the cost to the
// key's budget in place of what the request reserved.
import { type TokenUsage, ZERO_USAGE, costLines, linesNanoUsd } from '../registry/cost'
import { observeRequest } from './request-metrics'
import { recordRequest } from '../store/request-log'
import { settleBudget } from './budget'
import { estimateUsage } from './estimate'
import { countTokens } from './limits'
import type { RequestContext } from './context'
import { endRequestSpans, spanFirstByte } from './trace'

export function markFirstByte(ctx: RequestContext): void {
  if (ctx.ttftMs !== null) return
  ctx.ttftMs = Date.now() - ctx.startedAt
  spanFirstByte(ctx)
}

export function finishRequest(ctx: RequestContext, status: number, usage: TokenUsage = ZERO_USAGE, opts: { errorCode?: string | null, estimated?: boolean } = {}): void {
  if (ctx.record || !ctx.key) return
  countTokens(ctx.key, usage.promptTokens + usage.completionTokens)
  // A model served without a price (UNPRICED_MODELS=allow) has an unknown cost, flagged, never a silent $0.
  const unpriced = Boolean(ctx.entry && !ctx.entry.pricing)
  const lines = ctx.entry?.pricing ? costLines(ctx.entry.pricing, usage, ctx.startedAt) : []
  const cost = linesNanoUsd(lines)
  ctx.record = {
    id: ctx.id,
    createdAt: ctx.startedAt,
    keyId: ctx.key.id,
    endpoint: ctx.endpoint,
    provider: ctx.provider ?? null,
    model: ctx.entry?.id ?? null,
    requestedModel: ctx.requestedModel ?? null,
    stream: ctx.stream,
    status,
    errorCode: opts.errorCode ?? null,
    promptTokens: usage.promptTokens,
    cachedTokens: usage.cachedTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    cacheWrite1hTokens: usage.cacheWrite1hTokens ?? 0,
    completionTokens: usage.completionTokens,
    reasoningTokens: usage.reasoningTokens,
    costNanoUsd: cost,
    costLines: lines,
    registryVersion: ctx.entry ? ctx.registryVersion ?? null : null,
    serviceTier: usage.serviceTier ?? null,
    unpriced,
    estimated: opts.estimated ?? false,
    latencyMs: Date.now() - ctx.startedAt,
    ttftMs: ctx.ttftMs,
  }
  recordRequest(ctx.record)
  observeRequest(ctx.record)
  endRequestSpans(ctx, ctx.record)
  settleBudget(ctx.key, ctx.heldNanoUsd, cost)
  ctx.heldNanoUsd = 0
}

/**
 * Meters a request whose usage the provider did not (fully) report: cut short by its client while the
 * provider was working on it, or a stream from a server that sends no usage. The usage reported so
 * far is topped up by counting the prompt and what was streamed, flagged as estimated.
 */
export async function finishEstimated(ctx: RequestContext, status: number, errorCode: string | null, known?: TokenUsage, completionText = ''): Promise<void> {
  const usage = await estimateUsage(known, ctx.promptText?.() ?? '', completionText)
  finishRequest(ctx, status, usage, { errorCode, estimated: true })
}

// Metering: every request that passed authentication ends here, exactly once, with its status, usage
// and cost from the registry prices. The row goes to the buffered request log.
import { randomUUID } from 'node:crypto'
import { type TokenUsage, ZERO_USAGE, costUsd } from '../registry/cost'
import type { ModelEntry, ProviderId } from '../registry/schema'
import type { GatewayKey } from '../store/keys'
import { recordRequest, type RequestRecord } from '../store/request-log'
import { addCachedSpend } from './auth'

export interface RequestContext {
  id: string
  startedAt: number
  endpoint: RequestRecord['endpoint']
  stream: boolean
  key?: GatewayKey
  provider?: ProviderId
  entry?: ModelEntry
  ttftMs: number | null
  done: boolean
}

export function beginRequest(endpoint: RequestRecord['endpoint'], incomingId?: string): RequestContext {
  return { id: incomingId || `req_${randomUUID().replaceAll('-', '')}`, startedAt: Date.now(), endpoint, stream: false, ttftMs: null, done: false }
}

export function markFirstByte(ctx: RequestContext): void {
  ctx.ttftMs ??= Date.now() - ctx.startedAt
}

export function finishRequest(ctx: RequestContext, status: number, usage: TokenUsage = ZERO_USAGE, opts: { errorCode?: string | null, estimated?: boolean } = {}): number {
  if (ctx.done || !ctx.key) return 0
  ctx.done = true
  const cost = ctx.entry ? costUsd(ctx.entry.pricing, usage) : 0
  recordRequest({
    id: ctx.id,
    createdAt: ctx.startedAt,
    keyId: ctx.key.id,
    endpoint: ctx.endpoint,
    provider: ctx.provider ?? null,
    model: ctx.entry?.id ?? null,
    stream: ctx.stream,
    status,
    errorCode: opts.errorCode ?? null,
    ...usage,
    costUsd: cost,
    estimated: opts.estimated ?? false,
    latencyMs: Date.now() - ctx.startedAt,
    ttftMs: ctx.ttftMs,
  })
  if (cost > 0) addCachedSpend(ctx.key.id, cost)
  return cost
}

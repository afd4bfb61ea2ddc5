// Picks the target that answers: each candidate (one model, or a route's targets in order) is tried
// with its own retries; a target whose circuit is open is skipped while another remains; a target
// that fails with a provider-side error (5xx, 429, timeout) hands over to the next. For the target
// being tried it decides the completion cap, builds the request with it and reserves its budget for
// exactly that request.
import { config } from '../core/config'
import type { UpstreamRequest } from '../providers/types'
import type { ServiceTier } from '../registry/schema'
import { currentRegistry } from '../registry/store'
import { reserveBudget, settleBudget } from './budget'
import { completionCap, estimateCostNanoUsd } from './budget-estimate'
import type { ClientClose } from './client-close'
import { circuitAllows, recordFailure, recordSuccess } from './circuit'
import { GatewayError, toGatewayError } from '../core/errors'
import type { AuthenticatedContext } from './context'
import type { ResolvedModel } from './resolve'
import { callWithRetries } from './retry'
import { spanRequestModel } from './trace'
import type { UpstreamResponse } from './upstream'
import { rememberUnsupportedField, unsupportedFields } from './unsupported-fields'

export interface Dispatched extends ResolvedModel {
  upstream: UpstreamResponse
}

/** What the client asked for that bounds the cost of its call. */
export interface Demand {
  /** The request body's length: the prompt is estimated from it. */
  promptChars: number
  /** The client's completion cap (max_completion_tokens, max_tokens), if it set one. */
  maxOutputTokens?: number | null
  /** Completions asked for (n). */
  choices?: number
  /** The service tier the client asked for, when it costs other than standard. */
  serviceTier?: ServiceTier
  /** The inference geography the client asked for (Anthropic's `inference_geo`). */
  inferenceGeo?: string
}

/** Builds a target's upstream request with the completion cap decided for the call (undefined: send none). */
export type BuildRequest = (c: ResolvedModel, maxOutputTokens: number | undefined) => UpstreamRequest

/** Fields one request may learn a server refuses (each learned once per connection, then remembered). */
const MAX_FIELDS_LEARNED = 5

/** Failures another provider might not have: worth a fallback, and counted by the circuit. */
const providerSide = (e: GatewayError) => e.status !== 499 && (e.status >= 500 || e.status === 429)

/** The completion cap of a call to `c` (undefined: send none). */
export function capForTarget(ctx: AuthenticatedContext, c: ResolvedModel, demand: Demand): number | undefined {
  // A key without a budget sends no cap of its own where the provider needs none.
  const fallbackCap = ctx.key.budgetNanoUsd === null ? undefined : config().budgetDefaultMaxTokens
  return completionCap(c.target.entry, demand.maxOutputTokens, fallbackCap)
}

/** Reserves the key's budget for a call to `c` with `cap`; what a target tried before held goes back (it was not billed). */
export async function reserveForTarget(ctx: AuthenticatedContext, c: ResolvedModel, demand: Demand, cap: number | undefined): Promise<void> {
  if (ctx.heldNanoUsd) {
    settleBudget(ctx.key, ctx.heldNanoUsd, 0)
    ctx.heldNanoUsd = 0
  }
  ctx.heldNanoUsd = await reserveBudget(ctx.key, estimateCostNanoUsd(c.target.entry, demand.promptChars, cap ?? 0, demand.choices ?? 1, ctx.startedAt, { tier: demand.serviceTier, geo: demand.inferenceGeo }))
}

export async function dispatchToTarget(
  ctx: AuthenticatedContext,
  candidates: ResolvedModel[],
  demand: Demand,
  build: BuildRequest,
  client: ClientClose,
): Promise<Dispatched> {
  let lastError: GatewayError | undefined
  for (const [i, c] of candidates.entries()) {
    const { provider, model } = c.target
    const onlyHope = i === candidates.length - 1 && lastError === undefined
    if (!circuitAllows(provider, model) && !onlyHope) continue
    ctx.provider = provider
    ctx.entry = c.target.entry
    ctx.registryVersion = currentRegistry()?.version
    ctx.requestedModel = c.requestedModel
    spanRequestModel(ctx, c.requestedModel)
    const cap = capForTarget(ctx, c, demand)
    c.target.omitFields = unsupportedFields(provider)
    let request = build(c, cap)
    await reserveForTarget(ctx, c, demand, cap)
    for (let learned = 0; ; learned++) {
      const calledAt = performance.now()
      try {
        const upstream = await callWithRetries(c.adapter, request, client, { ctx, connection: provider, model })
        recordSuccess(provider, model)
        return { ...c, upstream }
      }
      catch (error) {
        const err = toGatewayError(error)
        // A compatible server refused a field it does not know: never send it there again, and retry without it.
        const refused = err.status === 400 && learned < MAX_FIELDS_LEARNED ? c.adapter.unsupportedField?.(err.message, request.body) : undefined
        if (refused) {
          rememberUnsupportedField(provider, refused)
          c.target.omitFields = unsupportedFields(provider)
          request = build(c, cap)
          continue
        }
        if (!providerSide(err)) throw err
        recordFailure(provider, model)
        lastError = err
        break
      }
      finally {
        ctx.upstreamMs += performance.now() - calledAt
      }
    }
  }
  throw lastError ?? new GatewayError(503, 'Every target of this model is failing; try again shortly.', 'service_unavailable', 'no_target_available')
}

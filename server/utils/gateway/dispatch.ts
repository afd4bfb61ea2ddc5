// Picks the target that answers: each candidate (one model, or a route's targets in order) is tried
// with its own retries; a target whose circuit is open is skipped while another remains; a target
// that fails with a provider-side error (5xx, 429, timeout) hands over to the next. The budget is
// reserved for the target being tried.
import type { UpstreamRequest } from '../providers/types'
import type { ClientClose } from './client-close'
import { circuitAllows, recordFailure, recordSuccess } from './circuit'
import { GatewayError, toGatewayError } from './errors'
import { reserveBudget } from './limits'
import type { RequestContext } from './meter'
import type { ResolvedModel } from './resolve'
import { callWithRetries } from './retry'
import type { UpstreamResponse } from './upstream'

export interface Dispatched extends ResolvedModel {
  upstream: UpstreamResponse
}

/** Failures another provider might not have: worth a fallback, and counted by the circuit. */
const providerSide = (e: GatewayError) => e.status !== 499 && (e.status >= 500 || e.status === 429)

export async function dispatch(
  ctx: RequestContext,
  candidates: ResolvedModel[],
  build: (c: ResolvedModel) => UpstreamRequest,
  estimateUsd: (c: ResolvedModel) => number,
  client: ClientClose,
): Promise<Dispatched> {
  let lastError: GatewayError | undefined
  for (const [i, c] of candidates.entries()) {
    const { provider, model } = c.target
    const onlyHope = i === candidates.length - 1 && lastError === undefined
    if (!circuitAllows(provider, model) && !onlyHope) continue
    ctx.provider = provider
    ctx.entry = c.target.entry
    ctx.release?.()
    ctx.release = await reserveBudget(ctx.key!, estimateUsd(c))
    try {
      const upstream = await callWithRetries(c.adapter, build(c), client)
      recordSuccess(provider, model)
      return { ...c, upstream }
    }
    catch (error) {
      const err = toGatewayError(error)
      if (!providerSide(err)) throw err
      recordFailure(provider, model)
      lastError = err
    }
  }
  throw lastError ?? new GatewayError(503, 'Every target of this model is failing; try again shortly.', 'service_unavailable', 'no_target_available')
}

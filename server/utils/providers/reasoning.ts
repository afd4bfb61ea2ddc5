// The reasoning and sampling settings of a chat request as one target model takes them, read from
// the model's registry capabilities: the effort asked for (if the model has a reasoning control),
// whether the reasoning text is wanted back, and the sampling parameters the model accepts.
import { badRequest } from '../core/errors'
import type { ChatCompletionRequest, ReasoningEffort } from '../dialects/openai'
import type { ReasoningCapability } from '../registry/schema'
import type { UpstreamTarget } from './types'

/** The effort to apply on this target: undefined when none was asked or the model has no reasoning control. */
export function effortFor(req: ChatCompletionRequest, target: UpstreamTarget): { effort: ReasoningEffort, control: ReasoningCapability } | undefined {
  const control = target.entry.capabilities?.reasoning
  const effort = req.reasoning_effort
  if (!effort || !control || control.control === 'none') return undefined
  return { effort, control }
}

/** The client wants the reasoning text: said so, or asked for an effort without saying. */
export const reasoningWanted = (req: ChatCompletionRequest): boolean =>
  req.include_reasoning ?? (req.reasoning_effort != null && req.reasoning_effort !== 'none')

/** Thinking token budgets for an effort, before the model's own bounds. */
const BUDGETS: Record<ReasoningEffort, number> = { none: 0, minimal: 1024, low: 2048, medium: 8192, high: 16384, xhigh: 32768 }

/**
 * The thinking budget for an effort within the model's bounds and below `ceiling` (Anthropic wants
 * it under max_tokens); 0 turns thinking off where the model allows it. A ceiling that leaves no
 * room for the model's least budget is the client's to fix: a 400 naming the cap.
 */
export function thinkingBudget(effort: ReasoningEffort, control: ReasoningCapability, ceiling = Infinity, capParam = 'max_tokens'): number {
  const min = control.minBudget ?? 1
  if (effort === 'none' && !control.alwaysOn) return 0
  const budget = Math.min(Math.max(BUDGETS[effort], min), control.maxBudget ?? Infinity, ceiling)
  if (budget < min) throw badRequest(`Reasoning on this model needs a thinking budget of at least ${min} tokens, below the completion cap: raise ${capParam} above ${min}.`, capParam, 'invalid_reasoning')
  return budget
}

export interface Sampling { temperature?: number, top_p?: number }

/**
 * temperature and top_p as the model takes them: refused ones left out, temperature lowered to the
 * model's maximum (not rescaled, so the common 0, 0.2, 0.7 and 1 keep their meaning), top_p left
 * out beside a temperature where the model takes only one. `reasoning`: Anthropic's thinking, which
 * takes neither.
 */
export function samplingFor(req: ChatCompletionRequest, target: UpstreamTarget, reasoning = false): Sampling {
  const limits = target.entry.capabilities?.sampling
  if (reasoning) return {}
  const refused = new Set(limits?.refuses ?? [])
  let temperature = refused.has('temperature') ? undefined : req.temperature ?? undefined
  if (temperature !== undefined && limits?.temperatureMax !== undefined) temperature = Math.min(temperature, limits.temperatureMax)
  const topP = refused.has('top_p') || (limits?.temperatureOrTopP && temperature !== undefined) ? undefined : req.top_p ?? undefined
  return { ...(temperature !== undefined ? { temperature } : {}), ...(topP !== undefined ? { top_p: topP } : {}) }
}

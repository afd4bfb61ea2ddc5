// OpenAI chat requests → Gemini generateContent / streamGenerateContent. Fields Gemini has no
// counterpart for (user, logit_bias, parallel_tool_calls, …) are dropped. maxOutputTokens is the
// call's cap (what the budget reserved for), not read from the request.
//
// Schemas go to Gemini as plain JSON Schema: `responseJsonSchema` for response_format and
// `parametersJsonSchema` for tools. Both take the schema an OpenAI client sends as it is, where the
// older `responseSchema`/`parameters` fields want Gemini's OpenAPI subset and reject keys such as
// additionalProperties.
//
// reasoning_effort becomes generationConfig.thinkingConfig in the form the model takes (the
// registry says): a thinkingBudget on 2.5 models, a thinkingLevel on Gemini 3, and includeThoughts
// when the reasoning text is wanted back. Gemini's sampling ranges are OpenAI's, so temperature and
// top_p go as sent unless the registry lists a limit. web_search_options (kept by the gateway only
// for models that search, gateway/fit-target.ts) is Google Search grounding; beside function
// declarations (Gemini 3) the server-side search calls are asked to be shown, as Gemini wants for
// that combination, and are not shown in the OpenAI form.
import type { ChatCompletionRequest, ReasoningEffort } from '../../dialects/openai'
import type { ReasoningCapability } from '../../registry/schema'
import { effortFor, reasoningWanted, samplingFor, thinkingBudget } from '../reasoning'
import { type ChatCall, jsonPost, type UpstreamRequest, type UpstreamTarget } from '../types'
import { googleApi } from './api'
import { toGeminiContents } from './contents'

const num = (v: unknown) => (typeof v === 'number' ? v : undefined)

function responseFormat(format: ChatCompletionRequest['response_format']) {
  if (format?.type === 'json_object') return { responseMimeType: 'application/json' }
  if (format?.type === 'json_schema') return { responseMimeType: 'application/json', responseJsonSchema: format.json_schema.schema }
  return {}
}

const LEVELS = ['minimal', 'low', 'medium', 'high'] as const
const LEVEL_OF: Record<ReasoningEffort, number> = { none: 0, minimal: 0, low: 1, medium: 2, high: 3, xhigh: 3 }

/** The model's level nearest the effort (ties go to the higher one). */
function thinkingLevel(effort: ReasoningEffort, control: ReasoningCapability): string {
  const levels = control.levels ?? [...LEVELS]
  const want = LEVEL_OF[effort]
  return levels.reduce((best, l) => (Math.abs(LEVELS.indexOf(l) - want) <= Math.abs(LEVELS.indexOf(best as typeof l) - want) ? l : best), levels[0]!)
}

function thinkingConfig(req: ChatCompletionRequest, target: UpstreamTarget) {
  const asked = effortFor(req, target)
  const config: Record<string, unknown> = {}
  if (asked?.control.control === 'budget') config.thinkingBudget = thinkingBudget(asked.effort, asked.control)
  if (asked?.control.control === 'level') config.thinkingLevel = thinkingLevel(asked.effort, asked.control)
  const off = config.thinkingBudget === 0
  if (reasoningWanted(req) && !off && target.entry.capabilities?.reasoning?.control !== 'none') config.includeThoughts = true
  return Object.keys(config).length ? config : undefined
}

function generationConfig(req: ChatCompletionRequest, target: UpstreamTarget, maxOutputTokens: number | undefined) {
  const sampling = samplingFor(req, target)
  const config = {
    maxOutputTokens,
    temperature: sampling.temperature,
    topP: sampling.top_p,
    stopSequences: typeof req.stop === 'string' ? [req.stop] : req.stop,
    candidateCount: req.n,
    seed: num(req.seed),
    presencePenalty: num(req.presence_penalty),
    frequencyPenalty: num(req.frequency_penalty),
    ...responseFormat(req.response_format),
    thinkingConfig: thinkingConfig(req, target),
  }
  const set = Object.entries(config).filter(([, v]) => v !== undefined && v !== null)
  return set.length ? { generationConfig: Object.fromEntries(set) } : {}
}

const MODES = { auto: 'AUTO', none: 'NONE', required: 'ANY' } as const

function tools(req: ChatCompletionRequest) {
  const search = req.web_search_options ? [{ googleSearch: {} }] : []
  if (!req.tools?.length) return search.length ? { tools: search } : {}
  const functionDeclarations = req.tools.map(t => ({
    name: t.function.name,
    description: t.function.description,
    parametersJsonSchema: t.function.parameters,
  }))
  const choice = req.tool_choice
  const functionCallingConfig = !choice
    ? undefined
    : typeof choice === 'string'
      ? { mode: MODES[choice] }
      : { mode: 'ANY', allowedFunctionNames: [choice.function.name] }
  const toolConfig = {
    ...(functionCallingConfig ? { functionCallingConfig } : {}),
    ...(search.length ? { includeServerSideToolInvocations: true } : {}),
  }
  return { tools: [{ functionDeclarations }, ...search], ...(Object.keys(toolConfig).length ? { toolConfig } : {}) }
}

export function chatRequest(req: ChatCompletionRequest, target: UpstreamTarget, { stream, maxOutputTokens }: ChatCall): UpstreamRequest {
  const body = { ...toGeminiContents(req.messages), ...generationConfig(req, target, maxOutputTokens), ...tools(req) }
  return jsonPost(googleApi.chat(target, target.model, stream), JSON.stringify(body))
}

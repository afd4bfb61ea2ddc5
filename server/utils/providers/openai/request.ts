// OpenAI is the gateway's own dialect: requests pass through with every field the client sent. Only
// the model name (a `provider/` prefix removed) changes, streams always ask for usage so that they
// can be metered, and the completion cap is the call's when it differs from the client's (a budgeted
// key's default, or a cap above the model's limit lowered to it). When nothing changes, the client's
// JSON text is sent as it came. temperature and top_p a model refuses (the registry's sampling
// limits: OpenAI's reasoning models) are left out, so a request written for another model still works;
// so are reasoning_effort for a model the registry knows has no reasoning control, and the gateway's
// own include_reasoning.
import type { ChatCompletionRequest, EmbeddingsRequest } from '../../dialects/openai'
import { samplingFor } from '../reasoning'
import { type ChatCall, jsonPost, type RawRequestText, type UpstreamRequest, type UpstreamTarget } from '../types'
import { openaiApi } from './api'

const chatPost = (target: UpstreamTarget, body: string) => jsonPost(openaiApi.chat(target, target.model, false), body)

/** The cap in the field(s) the client used; max_completion_tokens when it used none (max_tokens is deprecated). */
function capFields(req: ChatCompletionRequest, cap: number) {
  if (req.max_tokens == null) return { max_completion_tokens: cap }
  return req.max_completion_tokens == null ? { max_tokens: cap } : { max_tokens: cap, max_completion_tokens: cap }
}

/** The client's JSON object text with one more field at its end, without parsing and serialising it again. */
function appendField(raw: string, name: string, value: number): string {
  const end = raw.lastIndexOf('}')
  return `${raw.slice(0, end)},"${name}":${value}${raw.slice(end)}`
}

export function chatRequest(req: ChatCompletionRequest, target: UpstreamTarget, { stream, maxOutputTokens, raw }: ChatCall): UpstreamRequest {
  const cap = maxOutputTokens !== (req.max_completion_tokens ?? req.max_tokens) ? maxOutputTokens : undefined
  const sampling = samplingFor(req, target)
  const noReasoning = target.entry.capabilities?.reasoning?.control === 'none'
  const samplingAsSent = sampling.temperature === (req.temperature ?? undefined) && sampling.top_p === (req.top_p ?? undefined)
    && req.include_reasoning === undefined && (req.reasoning_effort === undefined || !noReasoning)
  const asSent = req.model === target.model && samplingAsSent && (!stream || req.stream_options?.include_usage === true)
  if (raw !== undefined && asSent) {
    if (cap === undefined) return chatPost(target, raw)
    // A budgeted key's default cap, where the client sent no cap field at all: nothing to clash with.
    if (req.max_tokens === undefined && req.max_completion_tokens === undefined) return chatPost(target, appendField(raw, 'max_completion_tokens', cap))
  }
  const { temperature: _t, top_p: _p, include_reasoning: _i, reasoning_effort, ...rest } = req
  const body = {
    ...(samplingAsSent ? req : { ...rest, ...sampling, ...(reasoning_effort === undefined || noReasoning ? {} : { reasoning_effort }) }),
    model: target.model,
    ...(cap === undefined ? {} : capFields(req, cap)),
    ...(stream ? { stream: true, stream_options: { ...req.stream_options, include_usage: true } } : {}),
  }
  return chatPost(target, JSON.stringify(body))
}

export function embeddingsRequest(req: EmbeddingsRequest, target: UpstreamTarget, raw?: RawRequestText): UpstreamRequest {
  const endpoint = openaiApi.embeddings!(target, target.model, Array.isArray(req.input))
  if (raw !== undefined && req.model === target.model) return jsonPost(endpoint, raw)
  return jsonPost(endpoint, JSON.stringify({ ...req, model: target.model }))
}

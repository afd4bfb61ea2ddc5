// OpenAI is the gateway's own dialect: requests pass through with every field the client sent. Only
// the model name (a `provider/` prefix removed) changes, and streams always ask for usage so that
// they can be metered. When nothing changes, the client's JSON text is sent as it came.
import type { ChatCompletionRequest, EmbeddingsRequest } from '../../gateway/schemas'
import type { RawRequestText, UpstreamRequest, UpstreamTarget } from '../types'

function post(target: UpstreamTarget, path: string, body: string): UpstreamRequest {
  return {
    url: `${target.baseUrl.replace(/\/+$/, '')}${path}`,
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${target.apiKey}` },
    body,
  }
}

export function chatRequest(req: ChatCompletionRequest, target: UpstreamTarget, stream: boolean, raw?: RawRequestText): UpstreamRequest {
  const asSent = req.model === target.model && (!stream || req.stream_options?.include_usage === true)
  if (raw !== undefined && asSent) return post(target, '/chat/completions', raw)
  const body = stream
    ? { ...req, model: target.model, stream: true, stream_options: { ...req.stream_options, include_usage: true } }
    : { ...req, model: target.model }
  return post(target, '/chat/completions', JSON.stringify(body))
}

export function embeddingsRequest(req: EmbeddingsRequest, target: UpstreamTarget, raw?: RawRequestText): UpstreamRequest {
  if (raw !== undefined && req.model === target.model) return post(target, '/embeddings', raw)
  return post(target, '/embeddings', JSON.stringify({ ...req, model: target.model }))
}

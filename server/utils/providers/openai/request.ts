// OpenAI is the gateway's own dialect: requests pass through with every field the client sent. Only
// the model name (a `provider/` prefix removed) changes, and streams always ask for usage so that
// they can be metered.
import type { ChatCompletionRequest, EmbeddingsRequest } from '../../gateway/schemas'
import type { UpstreamRequest, UpstreamTarget } from '../types'

function post(target: UpstreamTarget, path: string, body: unknown): UpstreamRequest {
  return {
    url: `${target.baseUrl.replace(/\/+$/, '')}${path}`,
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${target.apiKey}` },
    body: JSON.stringify(body),
  }
}

export function chatRequest(req: ChatCompletionRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const body = stream
    ? { ...req, model: target.model, stream: true, stream_options: { ...req.stream_options, include_usage: true } }
    : { ...req, model: target.model }
  return post(target, '/chat/completions', body)
}

export function embeddingsRequest(req: EmbeddingsRequest, target: UpstreamTarget): UpstreamRequest {
  return post(target, '/embeddings', { ...req, model: target.model })
}

// Requests to servers that speak OpenAI's chat and embeddings API (Ollama, vLLM, llama.cpp, Groq,
// DeepSeek, …). They differ from OpenAI in what they accept, so the request is always rebuilt: the
// model name without the connection's prefix, the completion cap in `max_tokens` (which every such
// server takes; `max_completion_tokens` is OpenAI's newer name and often unknown), usage asked for in
// streams, and the fields this connection has refused before left out.
import type { ChatCompletionRequest, EmbeddingsRequest } from '../../dialects/openai'
import { type ChatCall, jsonPost, type UpstreamRequest, type UpstreamTarget } from '../types'
import { openaiApi } from '../openai/api'

function without(body: Record<string, unknown>, omit: readonly string[] = []): string {
  for (const field of omit) delete body[field]
  return JSON.stringify(body)
}

export function compatibleChatRequest(req: ChatCompletionRequest, target: UpstreamTarget, { stream, maxOutputTokens }: ChatCall): UpstreamRequest {
  const { max_completion_tokens: _newName, ...rest } = req
  const cap = maxOutputTokens ?? req.max_completion_tokens ?? req.max_tokens ?? undefined
  const body: Record<string, unknown> = {
    ...rest,
    model: target.model,
    ...(cap == null ? {} : { max_tokens: cap }),
    ...(stream ? { stream: true, stream_options: { ...req.stream_options, include_usage: true } } : {}),
  }
  return jsonPost(openaiApi.chat(target, target.model, stream), without(body, target.omitFields))
}

export function compatibleEmbeddingsRequest(req: EmbeddingsRequest, target: UpstreamTarget): UpstreamRequest {
  return jsonPost(openaiApi.embeddings!(target, target.model, Array.isArray(req.input)), without({ ...req, model: target.model }, target.omitFields))
}

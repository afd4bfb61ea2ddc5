// OpenAI embeddings ⇄ Gemini embedContent (one text) / batchEmbedContents (a list of texts).
import { badRequest } from '../../core/errors'
import type { EmbeddingsRequest } from '../../dialects/openai'
import { ZERO_USAGE } from '../../registry/cost'
import { type TranslatedAnswer, jsonPost, type UpstreamRequest, type UpstreamTarget } from '../types'
import { googleApi } from './api'

interface EmbedResponse {
  embedding?: { values: number[] }
  embeddings?: { values: number[] }[]
}

function texts(input: EmbeddingsRequest['input']): string[] {
  const list = typeof input === 'string' ? [input] : input
  if (!list.every(x => typeof x === 'string')) throw badRequest('Gemini embeddings take text; token arrays are not supported.', 'input')
  return list as string[]
}

export function embeddingsRequest(req: EmbeddingsRequest, target: UpstreamTarget): UpstreamRequest {
  const inputs = texts(req.input)
  const one = (text: string) => ({ content: { parts: [{ text }] }, ...(req.dimensions ? { outputDimensionality: req.dimensions } : {}) })
  if (typeof req.input === 'string') return jsonPost(googleApi.embeddings!(target, target.model, false), JSON.stringify(one(inputs[0]!)))
  return jsonPost(googleApi.embeddings!(target, target.model, true), JSON.stringify({ requests: inputs.map(text => ({ model: `models/${target.model}`, ...one(text) })) }))
}

/** OpenAI's base64 encoding: the float32 values as little-endian bytes. */
function base64Floats(values: number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4))
  values.forEach((v, i) => view.setFloat32(i * 4, v, true))
  return Buffer.from(view.buffer).toString('base64')
}

export function embeddingsResponse(upstreamBody: string, target: UpstreamTarget, req: EmbeddingsRequest): TranslatedAnswer {
  const res = JSON.parse(upstreamBody) as EmbedResponse
  const vectors = res.embedding ? [res.embedding.values] : (res.embeddings ?? []).map(e => e.values)
  // ESTIMATE: Gemini's embed responses carry no token count, so prompt tokens are guessed at one
  // per 4 characters of input. Metering and cost for Gemini embeddings rest on this guess.
  const promptTokens = texts(req.input).reduce((n, t) => n + Math.ceil(t.length / 4), 0)
  const body = {
    object: 'list',
    data: vectors.map((values, index) => ({ object: 'embedding', index, embedding: req.encoding_format === 'base64' ? base64Floats(values) : values })),
    model: target.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  }
  return { body: JSON.stringify(body), usage: { ...ZERO_USAGE, promptTokens } }
}

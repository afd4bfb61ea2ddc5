// streamGenerateContent?alt=sse → OpenAI chat.completion.chunk payloads. Each upstream event is a
// whole GenerateContentResponse holding the next slice of every candidate; usageMetadata on it is
// cumulative, so the last one seen is the total. Gemini sends each functionCall complete, so each
// becomes one full tool_calls delta. There is no [DONE]; the caller adds OpenAI's.
import { type TokenUsage, ZERO_USAGE } from '../../registry/cost'
import type { ChatStreamOptions, ChatStreamTranslator, SseEvent, UpstreamTarget } from '../types'
import { StreamFailure } from '../types'
import { answerText, thoughtText, candidatesOf, completionId, finishReason, hasFunctionCall, openaiToolCall } from './candidate'
import { geminiError } from './error'
import { toOpenAIUsage } from '../openai/usage'
import { fromGeminiUsage } from './usage'
import type { GeminiCandidate, GeminiErrorBody, GenerateContentResponse } from './wire'

export function chatStream(target: UpstreamTarget, opts: ChatStreamOptions): ChatStreamTranslator {
  /** Tool calls seen so far, by choice index; a choice is started once it has an entry. */
  const toolCalls = new Map<number, number>()
  let usage: TokenUsage | undefined
  let id: string | undefined
  let model = target.model

  const chunk = (choiceList: unknown[], extra: object = {}) =>
    JSON.stringify({ id: id ?? opts.id, object: 'chat.completion.chunk', created: opts.created, model, choices: choiceList, ...extra })
  const delta = (index: number, d: object, finish: string | null = null) =>
    chunk([{ index, delta: d, logprobs: null, finish_reason: finish }])

  function candidateChunks(candidate: GeminiCandidate, position: number): string[] {
    const index = candidate.index ?? position
    const out: string[] = []
    if (!toolCalls.has(index)) {
      toolCalls.set(index, 0)
      out.push(delta(index, { role: 'assistant', content: '', refusal: null }))
    }
    for (const part of candidate.content?.parts ?? []) {
      if (hasFunctionCall(part)) {
        const n = toolCalls.get(index)!
        toolCalls.set(index, n + 1)
        out.push(delta(index, { tool_calls: [{ index: n, ...openaiToolCall(part) }] }))
        continue
      }
      const thought = thoughtText(part)
      if (thought) out.push(delta(index, { reasoning_content: thought }))
      // Signature-only parts carry empty text: no empty content deltas.
      const text = answerText(part)
      if (text) out.push(delta(index, { content: text }))
    }
    if (candidate.finishReason) out.push(delta(index, {}, finishReason(candidate.finishReason, toolCalls.get(index)! > 0)))
    return out
  }

  return {
    push({ data }: SseEvent) {
      const res = JSON.parse(data) as GenerateContentResponse & GeminiErrorBody
      if (res.error) throw new StreamFailure(geminiError(res.error.code ?? 500, data))
      id ??= completionId(res, opts.id)
      model = res.modelVersion ?? model
      if (res.usageMetadata) usage = fromGeminiUsage(res.usageMetadata)
      return candidatesOf(res).flatMap(candidateChunks)
    },
    end() {
      return opts.includeUsage ? [chunk([], { usage: toOpenAIUsage(usage ?? ZERO_USAGE) })] : []
    },
    usage: () => usage,
  }
}

// Reading Gemini candidates into OpenAI pieces; shared by the JSON response and the stream.
import type { GeminiCandidate, GeminiPart, GenerateContentResponse } from './wire'
import { toolCallId } from './tool-call-id'

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter'

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT'])

/** Gemini says STOP after a function call too; OpenAI clients look for `tool_calls` to run tools. */
export function finishReason(geminiReason: string | undefined, sawToolCall: boolean): FinishReason {
  if (geminiReason === 'MAX_TOKENS') return 'length'
  if (geminiReason && FILTERED.has(geminiReason)) return 'content_filter'
  return sawToolCall ? 'tool_calls' : 'stop'
}

/** Answer text of a part: thought summaries and empty signature-only parts have none. */
export function answerText(part: GeminiPart): string {
  return part.thought || typeof part.text !== 'string' ? '' : part.text
}

/** Thought summary text of a part (Gemini's `thought: true` parts, sent with includeThoughts). */
export function thoughtText(part: GeminiPart): string {
  return part.thought && typeof part.text === 'string' ? part.text : ''
}

type FunctionCallPart = GeminiPart & { functionCall: NonNullable<GeminiPart['functionCall']> }

export function hasFunctionCall(part: GeminiPart): part is FunctionCallPart {
  return part.functionCall !== undefined
}

export function openaiToolCall(part: FunctionCallPart) {
  const signature = part.thoughtSignature
  return {
    id: toolCallId(signature),
    type: 'function' as const,
    function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
    ...(signature ? { extra_content: { google: { thought_signature: signature } } } : {}),
  }
}

/** Gemini's own response id when it sent one, as an OpenAI-style completion id. */
export function completionId(res: GenerateContentResponse, fallback: string): string {
  return res.responseId ? `chatcmpl-${res.responseId}` : fallback
}

/** The candidates to report: a prompt Gemini blocked outright has none, and reads as one filtered. */
export function candidatesOf(res: GenerateContentResponse): GeminiCandidate[] {
  if (res.candidates?.length) return res.candidates
  return res.promptFeedback?.blockReason ? [{ finishReason: 'SAFETY' }] : []
}

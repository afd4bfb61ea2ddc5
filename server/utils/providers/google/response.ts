// A generateContent response → OpenAI `chat.completion`, one choice per candidate.
import { randomBytes } from 'node:crypto'
import type { TranslatedAnswer, UpstreamTarget } from '../types'
import { answerText, thoughtText, candidatesOf, completionId, finishReason, hasFunctionCall, openaiToolCall } from './candidate'
import { toOpenAIUsage } from '../openai/usage'
import { fromGeminiUsage } from './usage'
import type { GeminiCandidate, GenerateContentResponse } from './wire'

function choice(candidate: GeminiCandidate, position: number) {
  const parts = candidate.content?.parts ?? []
  const content = parts.map(answerText).join('')
  const reasoning = parts.map(thoughtText).join('')
  const toolCalls = parts.filter(hasFunctionCall).map(openaiToolCall)
  return {
    index: candidate.index ?? position,
    message: {
      role: 'assistant' as const,
      // OpenAI sends null content beside tool calls when the model said nothing.
      content: content || (toolCalls.length ? null : ''),
      refusal: null,
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
      ...(reasoning ? { reasoning_content: reasoning } : {}),
    },
    logprobs: null,
    finish_reason: finishReason(candidate.finishReason, toolCalls.length > 0),
  }
}

export function chatResponse(upstreamBody: string, target: UpstreamTarget): TranslatedAnswer {
  const res = JSON.parse(upstreamBody) as GenerateContentResponse
  const usage = fromGeminiUsage(res.usageMetadata)
  const candidates = candidatesOf(res)
  const body = {
    id: completionId(res, `chatcmpl-${randomBytes(12).toString('hex')}`),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: res.modelVersion ?? target.model,
    // OpenAI bodies always hold a choice; an answer with no candidate at all is an empty one.
    choices: (candidates.length ? candidates : [{}]).map(choice),
    usage: toOpenAIUsage(usage),
  }
  return { body: JSON.stringify(body), usage }
}

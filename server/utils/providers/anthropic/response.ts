// Anthropic message → OpenAI chat.completion. Text blocks become the content, tool_use blocks the
// tool_calls, thinking blocks the (non-standard, widely read) `reasoning_content` and, signed, the
// `thinking_blocks` a client sends back on the next turn. A call of the response_format tool is the
// answer itself: its input becomes the content.
import type { ThinkingBlock } from '../../dialects/openai'
import type { TranslatedAnswer, UpstreamTarget } from '../types'
import { JSON_TOOL } from './request'
import { toOpenAIUsage } from '../openai/usage'
import { fromAnthropicUsage } from './usage'

const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
}

/** OpenAI's finish_reason for an Anthropic stop_reason; a stop on the response_format tool alone is a plain stop. */
export function finishReason(stopReason: string | null | undefined, hasToolCalls: boolean): string {
  if (stopReason === 'tool_use' && !hasToolCalls) return 'stop'
  return FINISH_REASONS[stopReason ?? ''] ?? 'stop'
}

interface ContentBlock { type: string, text?: string, thinking?: string, signature?: string, data?: string, id?: string, name?: string, input?: unknown }

/** The thinking and redacted_thinking blocks as the chat form's `thinking_blocks`. */
export function thinkingBlocks(blocks: ContentBlock[]): ThinkingBlock[] {
  return blocks.flatMap((b): ThinkingBlock[] => {
    if (b.type === 'thinking') return [{ type: 'thinking', thinking: b.thinking ?? '', signature: b.signature ?? '' }]
    return b.type === 'redacted_thinking' ? [{ type: 'redacted_thinking', data: b.data ?? '' }] : []
  })
}

export function chatResponse(upstreamBody: string, target: UpstreamTarget): TranslatedAnswer {
  const msg = JSON.parse(upstreamBody)
  const blocks: ContentBlock[] = Array.isArray(msg.content) ? msg.content : []
  const text = blocks.filter(b => b.type === 'text').map(b => b.text ?? '').join('')
  const reasoning = blocks.filter(b => b.type === 'thinking').map(b => b.thinking ?? '').join('')
  const signed = thinkingBlocks(blocks)
  const json = blocks.find(b => b.type === 'tool_use' && b.name === JSON_TOOL)
  const toolCalls = blocks
    .filter(b => b.type === 'tool_use' && b.name !== JSON_TOOL)
    .map(b => ({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } }))
  const content = json ? JSON.stringify(json.input ?? {}) : text || (toolCalls.length ? null : '')
  const usage = fromAnthropicUsage(msg.usage)
  const body = {
    id: msg.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: msg.model ?? target.model,
    choices: [{
      index: 0,
      message: {
        role: 'assistant',
        content,
        refusal: null,
        ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        ...(reasoning ? { reasoning_content: reasoning } : {}),
        ...(signed.length ? { thinking_blocks: signed } : {}),
      },
      logprobs: null,
      finish_reason: finishReason(msg.stop_reason, toolCalls.length > 0),
    }],
    usage: toOpenAIUsage(usage),
  }
  return { body: JSON.stringify(body), usage }
}

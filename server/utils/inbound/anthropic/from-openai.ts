// OpenAI chat.completion → Anthropic Message, for answers of models that are not Claude. The stop
// reason and usage mappings are shared with the stream writer. Reasoning text (`reasoning_content`)
// becomes a first thinking block, signed with the gateway's marker (./thinking.ts).
import { parseToolArguments } from '../../providers/anthropic/request'
import { fromOpenAIUsage } from '../../providers/openai/usage'
import type { TokenUsage } from '../../registry/cost'
import { gatewayThinkingSignature } from './thinking'
import type { AnthropicContentBlock, AnthropicMessage, AnthropicStopReason, AnthropicUsageOut } from '../../dialects/anthropic'

const STOP_REASONS: Record<string, AnthropicStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
}

export const stopReasonFor = (finishReason: string | null | undefined): AnthropicStopReason =>
  STOP_REASONS[finishReason ?? ''] ?? 'end_turn'

/** Anthropic counts uncached input apart from cache reads and writes; OpenAI's prompt count holds all three. */
export function anthropicUsage(u: TokenUsage): AnthropicUsageOut {
  return {
    input_tokens: Math.max(0, u.promptTokens - u.cachedTokens - u.cacheWriteTokens),
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cachedTokens,
    output_tokens: u.completionTokens,
  }
}

interface ToolCall { id: string, function: { name: string, arguments: string } }

/** `provider`: the target that answered, named in the thinking block's signature marker. */
export function chatCompletionToMessage(completionJson: string, requestedModel: string, provider = 'gateway'): AnthropicMessage {
  const completion = JSON.parse(completionJson)
  const choice = completion.choices?.[0] ?? {}
  const message = choice.message ?? {}
  const text: string = message.content || message.refusal || ''
  const content: AnthropicContentBlock[] = []
  if (message.reasoning_content) content.push({ type: 'thinking', thinking: message.reasoning_content, signature: gatewayThinkingSignature(provider) })
  if (text) content.push({ type: 'text', text })
  for (const call of (message.tool_calls ?? []) as ToolCall[]) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseToolArguments(call.function.arguments) })
  }
  const id = String(completion.id ?? '')
  return {
    id: id.startsWith('msg_') ? id : `msg_${id.replace(/^chatcmpl-/, '')}`,
    type: 'message',
    role: 'assistant',
    model: requestedModel,
    content,
    stop_reason: message.refusal ? 'refusal' : stopReasonFor(choice.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(fromOpenAIUsage(completion.usage)),
  }
}

// The Anthropic Messages API as the gateway receives it on POST /v1/messages. Known fields are
// checked so a bad body is a 400 that names the field; unknown ones pass (a Claude model gets the
// request as sent, features newer than this schema included).
import { z } from 'zod'

const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string() })
const ContentBlock = z.looseObject({ type: z.string().min(1) })

export const InboundMessage = z.looseObject({
  // `system` turns: mid-conversation system messages, which newer API versions accept.
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(ContentBlock)]),
})
export type InboundMessage = z.infer<typeof InboundMessage>

const Tool = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  type: z.string().nullish(),
})

const ToolChoice = z.union([
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.enum(['auto', 'any', 'none']), disable_parallel_tool_use: z.boolean().optional() }),
])

export const MessagesRequest = z.looseObject({
  model: z.string().min(1),
  // 0 is valid: it warms the prompt cache without generating.
  max_tokens: z.number().int().nonnegative(),
  messages: z.array(InboundMessage).min(1),
  system: z.union([z.string(), z.array(TextBlock)]).optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  tools: z.array(Tool).optional(),
  tool_choice: ToolChoice.optional(),
  stream: z.boolean().optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  thinking: z.looseObject({ type: z.string().min(1) }).optional(),
})
export type MessagesRequest = z.infer<typeof MessagesRequest>

/** The usage object of a Message (and of message_delta events). */
export interface AnthropicUsageOut {
  input_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
  output_tokens: number
}

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal'

export type AnthropicContentBlock =
  | { type: 'text', text: string }
  | { type: 'thinking', thinking: string, signature: string }
  | { type: 'tool_use', id: string, name: string, input: Record<string, unknown> }

/** A Message as the gateway answers it (non-streaming). */
export interface AnthropicMessage {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: AnthropicContentBlock[]
  stop_reason: AnthropicStopReason
  stop_sequence: string | null
  usage: AnthropicUsageOut
}

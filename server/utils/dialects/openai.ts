// Schemas of the OpenAI-compatible request bodies. Unknown fields pass through (OpenAI upstreams get
// them as sent); known ones are checked so a bad body is a 400 that names the field.
import { z } from 'zod'

const ContentPart = z.looseObject({ type: z.string().min(1) })

/**
 * Signed reasoning of an earlier assistant turn, in the non-standard field LiteLLM made common
 * (`thinking_blocks`): Anthropic's thinking blocks with their signatures, and redacted ones. The
 * gateway returns them on Claude's answers so that a client sending the message back keeps a tool
 * loop with thinking on working.
 */
export const ThinkingBlock = z.union([
  z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
])
export type ThinkingBlock = z.infer<typeof ThinkingBlock>

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const
export const ReasoningEffort = z.enum(REASONING_EFFORTS)
export type ReasoningEffort = z.infer<typeof ReasoningEffort>

export const ChatMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z.array(z.looseObject({
    id: z.string(),
    type: z.literal('function'),
    function: z.looseObject({ name: z.string(), arguments: z.string() }),
  })).optional(),
  reasoning_content: z.string().nullish(),
  thinking_blocks: z.array(ThinkingBlock).nullish(),
})
export type ChatMessage = z.infer<typeof ChatMessage>

const Tool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
})

const ToolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string().min(1) }) }),
])

const ResponseFormat = z.union([
  z.looseObject({ type: z.enum(['text', 'json_object']) }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({ name: z.string().min(1), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }),
  }),
])

const positiveInt = z.number().int().positive()

export const ChatCompletionRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(ChatMessage).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: positiveInt.nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  tools: z.array(Tool).nullish(),
  tool_choice: ToolChoice.nullish(),
  response_format: ResponseFormat.nullish(),
  reasoning_effort: ReasoningEffort.nullish(),
  /**
   * Whether the reasoning text is wanted back (OpenRouter's field): by default it is when an effort
   * is set. The Responses translation sets it from `reasoning.summary`.
   */
  include_reasoning: z.boolean().nullish(),
  /** OpenAI's search models search the web with it; for other providers, their own web search (when the model has one). */
  web_search_options: z.looseObject({}).nullish(),
  user: z.string().optional(),
})
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>

export const EmbeddingsRequest = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number().int()).min(1), z.array(z.array(z.number().int()).min(1)).min(1)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: positiveInt.optional(),
  user: z.string().optional(),
})
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequest>

// Schemas of OpenAI's Responses API request bodies (POST /v1/responses). Unknown fields pass through
// (OpenAI upstreams get them as sent); known ones are checked so that a bad body is a 400 naming the
// field. Items without a `type` are messages, as OpenAI reads them.
import { z } from 'zod'

const InputText = z.looseObject({ type: z.literal('input_text'), text: z.string() })
const InputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['low', 'high', 'auto']).optional(),
})
const InputFile = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().optional(),
  file_id: z.string().nullish(),
  file_url: z.string().optional(),
  filename: z.string().optional(),
})
/** Assistant turns sent back as input carry their output parts. */
const OutputText = z.looseObject({ type: z.literal('output_text'), text: z.string() })
const Refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() })
export const ContentPart = z.discriminatedUnion('type', [InputText, InputImage, InputFile, OutputText, Refusal])
export type ContentPart = z.infer<typeof ContentPart>

export const MessageItem = z.looseObject({
  type: z.literal('message').optional(),
  id: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(ContentPart)]),
  status: z.string().optional(),
})
export const FunctionCallItem = z.looseObject({
  type: z.literal('function_call'),
  id: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: z.string().optional(),
})
export const FunctionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(ContentPart)]),
  status: z.string().nullish(),
})
export const ReasoningItem = z.looseObject({
  type: z.literal('reasoning'),
  id: z.string().optional(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })),
  encrypted_content: z.string().nullish(),
})
const CHECKED = new Set(['message', 'function_call', 'function_call_output', 'reasoning'])
/** Other item types (built-in tool calls, item references) are OpenAI's to check. */
const OtherItem = z.looseObject({ type: z.string().min(1).refine(t => !CHECKED.has(t), 'Invalid item of this type') })

export const InputItem = z.union([MessageItem, FunctionCallItem, FunctionCallOutputItem, ReasoningItem, OtherItem])
export type InputItem = z.infer<typeof InputItem>

export const FunctionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
})
const Tool = z.union([FunctionTool, z.looseObject({ type: z.string().min(1) })])

const ToolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), name: z.string().min(1) }),
  z.looseObject({ type: z.string().min(1) }),
])

const TextFormat = z.union([
  z.looseObject({ type: z.enum(['text', 'json_object']) }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
])

/** OpenAI's metadata: at most 16 pairs, keys of at most 64 characters, values of at most 512. */
export const Metadata = z.record(z.string().max(64), z.string().max(512))
  .refine(m => Object.keys(m).length <= 16, 'at most 16 key-value pairs')

/** The conversation a response continues and is added to: its id, or `{id}`. */
const ConversationParam = z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })])

export const ResponsesRequest = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(InputItem)]).optional(),
  instructions: z.string().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  conversation: ConversationParam.nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  tools: z.array(Tool).optional(),
  tool_choice: ToolChoice.optional(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: TextFormat.optional() }).optional(),
  reasoning: z.looseObject({
    effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
    summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
  }).nullish(),
  max_output_tokens: z.number().int().min(16).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  metadata: Metadata.nullish(),
  include: z.array(z.string()).nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  user: z.string().optional(),
  safety_identifier: z.string().optional(),
  prompt_cache_key: z.string().optional(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullish(),
})
export type ResponsesRequest = z.infer<typeof ResponsesRequest>

/** `GET /v1/responses/{id}/input_items` and `GET /v1/conversations/{id}/items` query: OpenAI's cursor pagination. */
export const InputItemsQuery = z.object({
  after: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  include: z.union([z.string(), z.array(z.string())]).optional(),
})

/** `GET /v1/responses/{id}` query: `stream=true` replays the response as its event stream, after `starting_after`. */
export const RetrieveQuery = z.object({
  stream: z.enum(['true', 'false']).optional(),
  starting_after: z.coerce.number().int().min(0).optional(),
  include: z.union([z.string(), z.array(z.string())]).optional(),
})

// The Responses API's response object and stream events, and the Conversations API's objects, as
// OpenAI's API reference describes them,
// written as zod schemas for the tests (strict where the reference lists every field), so that every
// body and every event the fake or the gateway sends can be checked field by field.
import { z } from 'zod'

const OutputText = z.object({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()),
  logprobs: z.array(z.unknown()).optional(),
}).strict()

const MessageOut = z.object({
  id: z.string().regex(/^msg_/),
  type: z.literal('message'),
  status: z.enum(['in_progress', 'completed', 'incomplete']),
  role: z.literal('assistant'),
  content: z.array(z.union([OutputText, z.object({ type: z.literal('refusal'), refusal: z.string() }).strict()])),
}).strict()

const FunctionCallOut = z.object({
  id: z.string().regex(/^fc_/),
  type: z.literal('function_call'),
  status: z.enum(['in_progress', 'completed', 'incomplete']),
  call_id: z.string().min(1),
  name: z.string().min(1),
  /** The namespace tool the function belongs to, when it does. */
  namespace: z.string().min(1).optional(),
  arguments: z.string(),
}).strict()

const SummaryText = z.object({ type: z.literal('summary_text'), text: z.string() }).strict()

const ReasoningOut = z.object({
  id: z.string().regex(/^rs_/),
  type: z.literal('reasoning'),
  summary: z.array(SummaryText),
  content: z.array(z.object({ type: z.literal('reasoning_text'), text: z.string() }).strict()).optional(),
  encrypted_content: z.string().nullable().optional(),
  status: z.enum(['in_progress', 'completed', 'incomplete']).optional(),
}).strict()

export const OutputItem = z.discriminatedUnion('type', [MessageOut, FunctionCallOut, ReasoningOut])

export const ResponseUsage = z.object({
  input_tokens: z.number().int().nonnegative(),
  input_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative() }).strict(),
  output_tokens: z.number().int().nonnegative(),
  output_tokens_details: z.object({ reasoning_tokens: z.number().int().nonnegative() }).strict(),
  total_tokens: z.number().int().nonnegative(),
}).strict()

export const ResponseObject = z.object({
  id: z.string().regex(/^resp_/),
  object: z.literal('response'),
  created_at: z.number().int().positive(),
  status: z.enum(['completed', 'failed', 'in_progress', 'cancelled', 'queued', 'incomplete']),
  background: z.boolean().nullable().optional(),
  conversation: z.object({ id: z.string().regex(/^conv_/) }).strict().nullable().optional(),
  error: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
  incomplete_details: z.object({ reason: z.enum(['max_output_tokens', 'content_filter']) }).strict().nullable(),
  instructions: z.union([z.string(), z.array(z.unknown())]).nullable(),
  max_output_tokens: z.number().int().nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable(),
  model: z.string().min(1),
  output: z.array(OutputItem),
  parallel_tool_calls: z.boolean(),
  previous_response_id: z.string().nullable().optional(),
  prompt_cache_key: z.string().nullable().optional(),
  reasoning: z.object({ effort: z.string().nullable(), summary: z.string().nullable() }).strict().nullable().optional(),
  safety_identifier: z.string().nullable().optional(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullable().optional(),
  store: z.boolean().optional(),
  temperature: z.number().nullable(),
  text: z.object({ format: z.object({ type: z.enum(['text', 'json_object', 'json_schema']) }).loose() }).loose().optional(),
  tool_choice: z.unknown(),
  tools: z.array(z.object({ type: z.string() }).loose()),
  top_p: z.number().nullable(),
  truncation: z.enum(['auto', 'disabled']).nullable().optional(),
  usage: ResponseUsage.nullable().optional(),
  user: z.string().nullable().optional(),
}).strict()

const seq = { sequence_number: z.number().int().nonnegative() }
const at = { item_id: z.string(), output_index: z.number().int().nonnegative() }
const part = { ...at, content_index: z.number().int().nonnegative() }
const withResponse = <T extends string>(type: T) => z.object({ type: z.literal(type), ...seq, response: ResponseObject }).strict()

/**
 * A response body as the server sent it, checked against the schema: the SDK adds output_text to
 * what it received, which is left out.
 */
export const checkResponseBody = (r: object) => ResponseObject.parse(JSON.parse(JSON.stringify({ ...r, output_text: undefined })))

export const StreamEvent = z.discriminatedUnion('type', [
  withResponse('response.created'),
  withResponse('response.in_progress'),
  withResponse('response.completed'),
  withResponse('response.incomplete'),
  withResponse('response.failed'),
  z.object({ type: z.literal('response.output_item.added'), ...seq, output_index: z.number().int(), item: OutputItem }).strict(),
  z.object({ type: z.literal('response.output_item.done'), ...seq, output_index: z.number().int(), item: OutputItem }).strict(),
  z.object({ type: z.literal('response.content_part.added'), ...seq, ...part, part: OutputText }).strict(),
  z.object({ type: z.literal('response.content_part.done'), ...seq, ...part, part: OutputText }).strict(),
  z.object({ type: z.literal('response.output_text.delta'), ...seq, ...part, delta: z.string(), logprobs: z.array(z.unknown()) }).strict(),
  z.object({ type: z.literal('response.output_text.done'), ...seq, ...part, text: z.string(), logprobs: z.array(z.unknown()) }).strict(),
  z.object({ type: z.literal('response.reasoning_summary_part.added'), ...seq, ...at, summary_index: z.number().int().nonnegative(), part: SummaryText }).strict(),
  z.object({ type: z.literal('response.reasoning_summary_part.done'), ...seq, ...at, summary_index: z.number().int().nonnegative(), part: SummaryText }).strict(),
  z.object({ type: z.literal('response.reasoning_summary_text.delta'), ...seq, ...at, summary_index: z.number().int().nonnegative(), delta: z.string(), obfuscation: z.string().optional() }).strict(),
  z.object({ type: z.literal('response.reasoning_summary_text.done'), ...seq, ...at, summary_index: z.number().int().nonnegative(), text: z.string() }).strict(),
  z.object({ type: z.literal('response.function_call_arguments.delta'), ...seq, ...at, delta: z.string() }).strict(),
  z.object({ type: z.literal('response.function_call_arguments.done'), ...seq, ...at, name: z.string().optional(), arguments: z.string() }).strict(),
])
export type StreamEvent = z.infer<typeof StreamEvent>

/**
 * Checks a whole event sequence: each event against its schema, sequence numbers 0, 1, 2, …, the
 * order OpenAI sends (created, in_progress, items, one terminal event last), every item opened
 * before its deltas and closed before the next opens.
 */
export function checkEventSequence(events: unknown[]): StreamEvent[] {
  const parsed = events.map(e => StreamEvent.parse(e))
  parsed.forEach((e, i) => {
    if (e.sequence_number !== i) throw new Error(`event ${i} (${e.type}) has sequence_number ${e.sequence_number}`)
  })
  const types = parsed.map(e => e.type)
  if (types[0] !== 'response.created' || types[1] !== 'response.in_progress') throw new Error(`stream starts ${types.slice(0, 2).join(', ')}`)
  const terminal = types.findIndex(t => t === 'response.completed' || t === 'response.incomplete' || t === 'response.failed')
  if (terminal !== types.length - 1) throw new Error(`terminal event at ${terminal} of ${types.length}`)
  let open: string | undefined
  for (const e of parsed) {
    if (e.type === 'response.output_item.added') {
      if (open) throw new Error(`item ${e.item.id} opened while ${open} is open`)
      open = e.item.id
    }
    else if ('item_id' in e && e.item_id !== open) throw new Error(`${e.type} for ${e.item_id} while ${open} is open`)
    else if (e.type === 'response.output_item.done') {
      if (e.item.id !== open) throw new Error(`item ${e.item.id} closed while ${open} is open`)
      open = undefined
    }
  }
  return parsed
}

const Metadata = z.record(z.string().max(64), z.string().max(512))

export const ConversationObject = z.object({
  id: z.string().regex(/^conv_/),
  object: z.literal('conversation'),
  created_at: z.number().int().positive(),
  metadata: Metadata,
}).strict()

export const ConversationDeleted = z.object({ id: z.string().regex(/^conv_/), object: z.literal('conversation.deleted'), deleted: z.literal(true) }).strict()

const InputText = z.object({ type: z.literal('input_text'), text: z.string() }).strict()

/** A conversation's item: a message (input or output parts), a function call or its output. */
export const ConversationItem = z.discriminatedUnion('type', [
  z.object({
    id: z.string().min(1),
    type: z.literal('message'),
    status: z.enum(['in_progress', 'completed', 'incomplete']),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: z.array(z.union([InputText, OutputText])),
  }).strict(),
  FunctionCallOut.extend({ id: z.string().min(1) }),
  z.object({
    id: z.string().min(1),
    type: z.literal('function_call_output'),
    status: z.enum(['in_progress', 'completed', 'incomplete']),
    call_id: z.string().min(1),
    output: z.string(),
  }).strict(),
])

export const ConversationItemList = z.object({
  object: z.literal('list'),
  data: z.array(ConversationItem),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
}).strict()

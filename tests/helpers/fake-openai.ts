// A strict fake of OpenAI's API on a loopback port: it rejects a missing or wrong key, models it
// does not serve and bodies the real API rejects, answers chat completions (JSON or real
// chat.completion.chunk streams) and embeddings with deterministic content and usage, and records
// every request it received. An output cap above the model's limit (its own table) and a tool type the
// endpoint does not have are refused with the real API's 400. As the real API, it answers `n` choices (usage counts the completion
// tokens of all of them) and stops a reply at max_completion_tokens (or max_tokens) with
// finish_reason "length"; a word is a token. "[cached]" in a message reads up to 1024 prompt tokens
// from the cache; "[cache-write]" writes the rest of the prompt to it (`cache_write_tokens`). The
// models it serves are OpenAI's in the shipped registry (data/models.json), chat and embedding models
// each on their own endpoint, and a few dated snapshots of them. It also serves the Responses API
// (POST /v1/responses, JSON or the real event stream): unknown top-level fields and wrong types are
// refused as the real API refuses them, responses with `store` are kept so that previous_response_id
// finds them (and an unknown one is refused) until deleted (DELETE /v1/responses/{id}), a
// function_call_output must answer a call of its conversation, a `conversation` is one it does not
// know (404; with previous_response_id, 400), and "weather" with a function tool
// gets a function_call to it. "[slow:N]" in the input waits N ms before a JSON answer, or between
// the events of a stream. "[fail-response]" makes the response fail as OpenAI's do (status failed,
// `error` set; streamed, the terminal event is response.failed). POST /v1/responses/input_tokens
// counts a request's input as its usage would, refusing the fields that only shape the answer.
// Reasoning models (o-series, gpt-5) refuse temperature and top_p other than 1 on chat
// completions, as the real API does, and take reasoning_effort.
// `service_tier` is checked and the tier that served is echoed as the real API does: "auto" and
// "default" are served as "default", "flex" only on models the page prices at Flex (the registry's
// Flex prices), "priority" (or "fast") at Priority.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import seed from '../../data/models.json'
import { listenOnLoopback } from './net'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: any
}

export interface Faults {
  /** Answer the next calls with these statuses (one each), before any other handling. */
  statuses: { status: number, retryAfter?: string }[]
  /** Destroy the connection of this many next calls without answering. */
  resets: number
  /** Wait this long before answering each call. */
  delayMs: number
}

export interface FakeOpenAI {
  url: string
  apiKey: string
  requests: RecordedRequest[]
  faults: Faults
  /** Streams whose client went away before the stream ended. */
  abortedStreams: number
  close: () => Promise<void>
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function'])

const served = (mode: string) => new Set(seed.models.filter(m => m.provider === 'openai' && m.mode === mode).map(m => m.id))
/** Dated snapshots the real API serves beside their family (an invented date is a 404 there too). */
const SNAPSHOTS = ['gpt-4.1-2025-04-14', 'gpt-5-mini-2025-08-07', 'gpt-4o-2024-08-06']
const CHAT_MODELS = new Set([...served('chat'), ...SNAPSHOTS])
const EMBEDDING_MODELS = served('embedding')
/** Reasoning models take only max_completion_tokens. */
const REASONING = /^(o\d|gpt-5)/
/**
 * Output limits as the real API enforces them (its own numbers, not read from the gateway's registry,
 * so that a wrong registry figure shows); a dated snapshot has its family's limit.
 */
const OUTPUT_LIMITS: [RegExp, number][] = [
  [/^gpt-4o(-mini)?(-\d{4}-\d{2}-\d{2})?$/, 16_384], [/^gpt-4\.1/, 32_768], [/^gpt-5(-mini|-nano)?(-\d{4}-\d{2}-\d{2})?$/, 128_000],
  [/^o[34](-mini)?$/, 100_000], [/^gpt-3\.5-turbo/, 4_096],
]
const outputLimit = (model: string) => OUTPUT_LIMITS.find(([re]) => re.test(model))?.[1]
/** Chat Completions tool types. */
const CHAT_TOOL_TYPES = new Set(['function', 'custom'])
/** Responses API tool types (the built-in tools under their current and dated names). */
const RESPONSES_TOOL_TYPES = /^(function|custom|namespace|tool_search|file_search|web_search(_preview)?(_\d{4}_\d{2}_\d{2})?|computer_use_preview|computer|code_interpreter|image_generation|mcp|local_shell|shell|apply_patch)$/

/** OpenAI's refusal of an output cap above the model's limit, in its words. */
function capTooLarge(field: string, model: string, cap: unknown): string | undefined {
  const limit = outputLimit(model)
  if (typeof cap !== 'number' || limit === undefined || cap <= limit) return undefined
  return `${field} is too large: ${cap}. This model supports at most ${limit} completion tokens, whereas you provided ${cap}.`
}

function words(text: string) {
  return text.split(/\s+/).filter(Boolean).length
}

function messageText(m: any): string {
  if (typeof m.content === 'string') return m.content
  if (Array.isArray(m.content)) return m.content.map((p: any) => p.text ?? '').join(' ')
  return ''
}

function error(res: ServerResponse, status: number, message: string, type: string, code: string | null = null, param: string | null = null) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error: { message, type, param, code } }))
}

/** The reply is the last user message reversed word by word: easy to predict in tests. */
export function fakeReply(messages: any[]): string {
  const last = [...messages].reverse().find(m => m.role === 'user')
  return `echo: ${messageText(last ?? {}).split(/\s+/).filter(Boolean).reverse().join(' ')}`
}

export function fakeUsage(messages: any[], reply: string, choices = 1) {
  const prompt = messages.reduce((n, m) => n + 4 + words(messageText(m)), 3)
  const cached = messages.some(m => messageText(m).includes('[cached]')) ? Math.min(prompt, 1024) : 0
  const completion = words(reply) * choices
  const written = messages.some(m => messageText(m).includes('[cache-write]'))
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0, ...written ? { cache_write_tokens: prompt - cached } : {} },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  }
}

const TIERS = ['auto', 'default', 'flex', 'scale', 'priority', 'fast']
const FLEX_MODELS = new Set(seed.models.filter(m => m.provider === 'openai' && (m.pricing as { serviceTiers?: { flex?: unknown } }).serviceTiers?.flex).map(m => m.id))

/** The tier a request is served at, or an error sent for a tier the request may not ask for. */
function servedTier(res: ServerResponse, body: any): string | undefined {
  const asked = body.service_tier ?? 'auto'
  if (!TIERS.includes(asked)) {
    error(res, 400, `Invalid value: '${asked}'. Supported values are: 'auto', 'default', 'flex', 'scale', and 'priority'.`, 'invalid_request_error', 'invalid_value', 'service_tier')
    return undefined
  }
  const family = SNAPSHOTS.includes(body.model) ? body.model.replace(/-\d{4}-\d{2}-\d{2}$/, '') : body.model
  if (asked === 'flex' && !FLEX_MODELS.has(family)) {
    error(res, 400, `Flex is not available for model '${body.model}'.`, 'invalid_request_error', 'invalid_value', 'service_tier')
    return undefined
  }
  return asked === 'flex' ? 'flex' : asked === 'priority' || asked === 'fast' ? 'priority' : 'default'
}

const modelNotFound = (res: ServerResponse, model: string) =>
  error(res, 404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found')

function chat(res: ServerResponse, body: any) {
  if (typeof body.model !== 'string') return error(res, 400, 'you must provide a model parameter', 'invalid_request_error', null, 'model')
  if (EMBEDDING_MODELS.has(body.model)) {
    return error(res, 404, 'This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?', 'invalid_request_error', null, 'model')
  }
  if (!CHAT_MODELS.has(body.model)) return modelNotFound(res, body.model)
  if (body.max_tokens != null && REASONING.test(body.model)) {
    return error(res, 400, 'Unsupported parameter: \'max_tokens\' is not supported with this model. Use \'max_completion_tokens\' instead.', 'invalid_request_error', 'unsupported_parameter', 'max_tokens')
  }
  for (const param of ['temperature', 'top_p']) {
    if (body[param] != null && body[param] !== 1 && REASONING.test(body.model)) {
      return error(res, 400, `Unsupported value: '${param}' does not support ${body[param]} with this model. Only the default (1) value is supported.`, 'invalid_request_error', 'unsupported_value', param)
    }
  }
  if (body.reasoning_effort != null && (!REASONING.test(body.model) || !['none', 'minimal', 'low', 'medium', 'high', 'xhigh'].includes(body.reasoning_effort))) {
    return error(res, 400, `Unsupported parameter: 'reasoning_effort' is not supported with this model.`, 'invalid_request_error', 'unsupported_parameter', 'reasoning_effort')
  }
  for (const field of ['max_tokens', 'max_completion_tokens']) {
    const tooLarge = capTooLarge(field, body.model, body[field])
    if (tooLarge) return error(res, 400, tooLarge, 'invalid_request_error', 'invalid_value', field)
  }
  for (const [i, t] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (!CHAT_TOOL_TYPES.has(t?.type)) return error(res, 400, `Invalid value: '${t?.type}'. Supported values are: 'function' and 'custom'.`, 'invalid_request_error', 'invalid_value', `tools[${i}].type`)
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return error(res, 400, 'Missing required parameter: \'messages\'.', 'invalid_request_error', 'missing_required_parameter', 'messages')
  }
  for (const [i, m] of body.messages.entries()) {
    if (!ROLES.has(m.role)) return error(res, 400, `Invalid value: '${m.role}'.`, 'invalid_request_error', 'invalid_value', `messages[${i}].role`)
  }
  if (body.stream_options && body.stream !== true) {
    return error(res, 400, 'The \'stream_options\' parameter is only allowed when \'stream\' is enabled.', 'invalid_request_error', null, 'stream_options')
  }
  const tier = servedTier(res, body)
  if (!tier) return
  const n = body.n ?? 1
  if (!Number.isInteger(n) || n < 1 || n > 128) return error(res, 400, `Invalid 'n': expected an integer from 1 to 128, but got ${n} instead.`, 'invalid_request_error', 'invalid_value', 'n')
  let reply = fakeReply(body.messages)
  let finish = 'stop'
  const cap = body.max_completion_tokens ?? body.max_tokens
  if (typeof cap === 'number' && words(reply) > cap) [reply, finish] = [reply.split(/\s+/).slice(0, cap).join(' '), 'length']
  const usage = fakeUsage(body.messages, reply, n)
  const id = `chatcmpl-fake${Date.now()}`
  const created = Math.floor(Date.now() / 1000)
  // A snapshot answers as itself, a family as its current snapshot.
  const model = SNAPSHOTS.includes(body.model) ? body.model : `${body.model}-2024-07-18`
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({
      id, object: 'chat.completion', created, model, system_fingerprint: 'fp_fake',
      choices: Array.from({ length: n }, (_, index) => ({ index, message: { role: 'assistant', content: reply, refusal: null, annotations: [] }, logprobs: null, finish_reason: finish })),
      usage, service_tier: tier,
    }))
    return
  }
  const includeUsage = body.stream_options?.include_usage === true
  const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', service_tier: tier }
  const chunks: any[] = []
  for (let index = 0; index < n; index++) {
    chunks.push({ ...base, choices: [{ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }] })
    for (const piece of reply.match(/\S+\s*/g) ?? []) chunks.push({ ...base, choices: [{ index, delta: { content: piece }, logprobs: null, finish_reason: null }] })
    chunks.push({ ...base, choices: [{ index, delta: {}, logprobs: null, finish_reason: finish }] })
  }
  if (includeUsage) {
    for (const c of chunks) c.usage = null
    chunks.push({ ...base, choices: [], usage })
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  // "[slow:N]" in a message spaces the chunks N ms apart (a long-running stream).
  const delay = Number(/\[slow:(\d+)\]/.exec(JSON.stringify(body.messages))?.[1] ?? 0)
  if (!delay) {
    for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`)
    res.end('data: [DONE]\n\n')
    return
  }
  let i = 0
  const timer = setInterval(() => {
    if (i < chunks.length) return void res.write(`data: ${JSON.stringify(chunks[i++])}\n\n`)
    clearInterval(timer)
    res.end('data: [DONE]\n\n')
  }, delay)
  res.on('close', () => clearInterval(timer))
}

/** Deterministic vector for a text: the same input always embeds the same way. */
export function fakeVector(text: string, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => Math.fround(((text.charCodeAt(i % Math.max(1, text.length)) || 7) * (i + 1)) % 97 / 97))
}

function embeddings(res: ServerResponse, body: any) {
  if (typeof body.model !== 'string') return error(res, 400, 'you must provide a model parameter', 'invalid_request_error', null, 'model')
  if (!EMBEDDING_MODELS.has(body.model)) return modelNotFound(res, body.model)
  if (body.input === undefined) return error(res, 400, 'Missing required parameter: \'input\'.', 'invalid_request_error', 'missing_required_parameter', 'input')
  if (body.encoding_format !== undefined && !['float', 'base64'].includes(body.encoding_format)) {
    return error(res, 400, 'Invalid value for encoding_format', 'invalid_request_error', 'invalid_value', 'encoding_format')
  }
  if (body.dimensions !== undefined && body.model === 'text-embedding-ada-002') {
    return error(res, 400, 'This model does not support specifying dimensions.', 'invalid_request_error', null, 'dimensions')
  }
  const inputs: string[] = typeof body.input === 'string' ? [body.input] : body.input.map((x: unknown) => String(x))
  const dims = body.dimensions ?? 8
  const data = inputs.map((text, index) => {
    const v = fakeVector(text, dims)
    const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v
    return { object: 'embedding', index, embedding }
  })
  const tokens = inputs.reduce((n, t) => n + words(t), 0)
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }))
}

const RESPONSES_FIELDS = new Set([
  'model', 'input', 'instructions', 'previous_response_id', 'conversation', 'store', 'stream', 'stream_options', 'tools', 'tool_choice',
  'parallel_tool_calls', 'text', 'reasoning', 'max_output_tokens', 'max_tool_calls', 'temperature', 'top_p', 'top_logprobs', 'metadata',
  'include', 'truncation', 'user', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention', 'service_tier', 'background', 'prompt',
  // Codex CLI sends it to OpenAI's own API.
  'client_metadata',
])
const ITEM_TYPES = new Set(['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference'])
const INPUT_ROLES = new Set(['user', 'assistant', 'system', 'developer'])

class Refusal extends Error {
  constructor(readonly param: string | null, message: string, readonly code: string | null = 'invalid_type') {
    super(message)
  }
}

const fakeId = (prefix: string) => `${prefix}_${randomBytes(24).toString('hex')}`

function itemText(item: any): string {
  if (typeof item.content === 'string') return item.content
  if (Array.isArray(item.content)) return item.content.map((p: any) => p.text ?? '').join(' ')
  return ''
}

/** The request's input as items, checked as the real API checks them. */
function responseInput(input: unknown): any[] {
  if (input === undefined) return []
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }]
  if (!Array.isArray(input)) throw new Refusal('input', 'Invalid type for \'input\': expected one of a string or array of input items, but got an object instead.')
  return input.map((item: any, i) => {
    const type = item?.type ?? 'message'
    if (!ITEM_TYPES.has(type)) throw new Refusal(`input[${i}].type`, `Invalid value: '${type}'. Supported values are: ${[...ITEM_TYPES].map(t => `'${t}'`).join(', ')}.`, 'invalid_value')
    if (type === 'message' && !INPUT_ROLES.has(item.role)) throw new Refusal(`input[${i}].role`, `Invalid value: '${item.role}'.`, 'invalid_value')
    if (type === 'message' && typeof item.content !== 'string' && !Array.isArray(item.content)) throw new Refusal(`input[${i}].content`, 'Invalid type for content.')
    if ((type === 'function_call' || type === 'function_call_output') && typeof item.call_id !== 'string') throw new Refusal(`input[${i}].call_id`, 'Missing required parameter: call_id.', 'missing_required_parameter')
    return { ...item, type }
  })
}

function checkResponsesBody(body: any) {
  for (const field of Object.keys(body)) if (!RESPONSES_FIELDS.has(field)) throw new Refusal(field, `Unknown parameter: '${field}'.`, 'unknown_parameter')
  if (typeof body.model !== 'string') throw new Refusal('model', 'Missing required parameter: \'model\'.', 'missing_required_parameter')
  for (const flag of ['store', 'stream', 'parallel_tool_calls', 'background']) {
    if (body[flag] != null && typeof body[flag] !== 'boolean') throw new Refusal(flag, `Invalid type for '${flag}': expected a boolean, but got ${typeof body[flag]} instead.`)
  }
  if (body.instructions != null && typeof body.instructions !== 'string') throw new Refusal('instructions', 'Invalid type for \'instructions\': expected a string.')
  if (body.max_output_tokens != null) {
    if (!Number.isInteger(body.max_output_tokens)) throw new Refusal('max_output_tokens', 'Invalid type for \'max_output_tokens\': expected an integer.')
    if (body.max_output_tokens < 16) throw new Refusal('max_output_tokens', `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got ${body.max_output_tokens} instead.`, 'integer_below_min_value')
    const tooLarge = capTooLarge('max_output_tokens', body.model, body.max_output_tokens)
    if (tooLarge) throw new Refusal('max_output_tokens', tooLarge, 'invalid_value')
  }
  if (Array.isArray(body.include) && body.include.includes('reasoning.encrypted_content') && !REASONING.test(body.model)) {
    throw new Refusal('include', 'Encrypted content is not supported with this model.', null)
  }
  if (body.temperature != null && (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 2)) throw new Refusal('temperature', 'Invalid \'temperature\': expected a number from 0 to 2.', 'invalid_value')
  if (body.tools != null && !Array.isArray(body.tools)) throw new Refusal('tools', 'Invalid type for \'tools\': expected an array.')
  for (const [i, t] of (body.tools ?? []).entries()) {
    if (!RESPONSES_TOOL_TYPES.test(String(t?.type))) throw new Refusal(`tools[${i}].type`, `Invalid value: '${t?.type}'.`, 'invalid_value')
    if (t?.type === 'function' && typeof t.name !== 'string') throw new Refusal(`tools[${i}].name`, 'Missing required parameter: \'tools[0].name\'.', 'missing_required_parameter')
  }
}

interface KeptResponse { response: any, items: any[] }

/** The input tokens of a conversation: what a response's usage reports, and what input_tokens answers. */
const responsePromptTokens = (conversation: any[], instructions: string | undefined) =>
  conversation.reduce((n, i) => n + 4 + words(itemText(i) + (i.arguments ?? '') + (typeof i.output === 'string' ? i.output : '')), 3) + words(instructions ?? '')

/** The fields POST /v1/responses/input_tokens takes: what shapes the prompt, nothing that shapes the answer. */
const INPUT_TOKENS_FIELDS = new Set(['model', 'input', 'instructions', 'previous_response_id', 'conversation', 'tools', 'tool_choice', 'parallel_tool_calls', 'text', 'reasoning', 'truncation', 'personality'])

/** The conversation a request continues (its previous response's), or the refusal OpenAI answers. */
function historyOf(body: any, kept: Map<string, KeptResponse>): any[] {
  if (body.previous_response_id == null) return []
  const previous = kept.get(body.previous_response_id)
  if (!previous) throw new Refusal('previous_response_id', `Previous response with id '${body.previous_response_id}' not found.`, 'previous_response_not_found')
  return previous.items
}

function inputTokens(res: ServerResponse, body: any, kept: Map<string, KeptResponse>) {
  let conversation: any[]
  try {
    for (const field of Object.keys(body)) if (!INPUT_TOKENS_FIELDS.has(field)) throw new Refusal(field, `Unknown parameter: '${field}'.`, 'unknown_parameter')
    if (body.model != null && typeof body.model !== 'string') throw new Refusal('model', 'Invalid type for \'model\': expected a string.')
    conversation = [...historyOf(body, kept), ...responseInput(body.input)]
  }
  catch (e) {
    if (!(e instanceof Refusal)) throw e
    return error(res, 400, e.message, 'invalid_request_error', e.code, e.param)
  }
  if (body.model != null && !CHAT_MODELS.has(body.model)) return modelNotFound(res, body.model)
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ object: 'response.input_tokens', input_tokens: responsePromptTokens(conversation, body.instructions) }))
}

async function responsesApi(res: ServerResponse, body: any, kept: Map<string, KeptResponse>) {
  let items: any[]
  try {
    checkResponsesBody(body)
    items = responseInput(body.input)
  }
  catch (e) {
    if (!(e instanceof Refusal)) throw e
    return error(res, 400, e.message, 'invalid_request_error', e.code, e.param)
  }
  if (!CHAT_MODELS.has(body.model)) return modelNotFound(res, body.model)
  const tier = servedTier(res, body)
  if (!tier) return
  if (body.conversation != null && body.previous_response_id != null) {
    return error(res, 400, 'Mutually exclusive parameters. Ensure you are only providing one of: \'previous_response_id\' or \'conversation\'.', 'invalid_request_error', 'mutually_exclusive_parameters')
  }
  // This fake holds no conversations: every id is one OpenAI does not know (a gateway's own, sent on by mistake).
  if (body.conversation != null) {
    const id = typeof body.conversation === 'string' ? body.conversation : body.conversation.id
    return error(res, 404, `Conversation with id '${id}' not found.`, 'invalid_request_error')
  }
  let history: any[]
  try {
    history = historyOf(body, kept)
  }
  catch (e) {
    if (!(e instanceof Refusal)) throw e
    return error(res, 400, e.message, 'invalid_request_error', e.code, e.param)
  }
  const conversation = [...history, ...items]
  if (!conversation.length) return error(res, 400, 'Missing required parameter: \'input\'.', 'invalid_request_error', 'missing_required_parameter', 'input')
  const calls = new Set(conversation.filter(i => i.type === 'function_call').map(i => i.call_id))
  for (const [i, item] of items.entries()) {
    if (item.type === 'function_call_output' && !calls.has(item.call_id)) return error(res, 400, `No tool call found for function call output with call_id ${item.call_id}.`, 'invalid_request_error', null, `input[${i}]`)
  }
  const last = conversation.at(-1)
  const lastUser = [...conversation].reverse().find(i => i.type === 'message' && i.role === 'user')
  const tool = (body.tools ?? []).find((t: any) => t.type === 'function')
  const output: any[] = []
  let reply = ''
  let status = 'completed'
  if (last?.type === 'function_call_output') reply = `tool result: ${typeof last.output === 'string' ? last.output : JSON.stringify(last.output)}`
  else if (tool && /weather/i.test(itemText(lastUser ?? {}))) {
    output.push({ id: fakeId('fc'), type: 'function_call', status: 'completed', call_id: `call_${randomBytes(12).toString('hex')}`, name: tool.name, arguments: '{"city":"Paris"}' })
  }
  else reply = fakeReply([{ role: 'user', content: itemText(lastUser ?? {}) }])
  if (reply) {
    if (typeof body.max_output_tokens === 'number' && words(reply) > body.max_output_tokens) {
      reply = reply.split(/\s+/).slice(0, body.max_output_tokens).join(' ')
      status = 'incomplete'
    }
    output.unshift({ id: fakeId('msg'), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: reply, annotations: [], logprobs: [] }] })
  }
  const promptWords = responsePromptTokens(conversation, body.instructions)
  const cached = JSON.stringify(conversation).includes('[cached]') ? promptWords : 0
  const outputTokens = words(reply) + output.filter(o => o.type === 'function_call').length * 5
  const base = {
    id: fakeId('resp'), object: 'response', created_at: Math.floor(Date.now() / 1000), background: false, error: null, incomplete_details: null,
    instructions: body.instructions ?? null, max_output_tokens: body.max_output_tokens ?? null, metadata: body.metadata ?? {}, model: `${body.model}-2024-07-18`,
    parallel_tool_calls: body.parallel_tool_calls ?? true, previous_response_id: body.previous_response_id ?? null, reasoning: { effort: null, summary: null },
    service_tier: tier, store: body.store ?? true, temperature: body.temperature ?? 1, text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto', tools: body.tools ?? [], top_p: body.top_p ?? 1, truncation: body.truncation ?? 'disabled', user: body.user ?? null,
  }
  if (/\[fail-response\]/.test(JSON.stringify(body.input))) {
    status = 'failed'
    output.length = 0
  }
  const final = {
    ...base, status, output,
    ...(status === 'failed' ? { error: { code: 'server_error', message: 'The model failed to generate a response.' } } : {}),
    ...(status === 'incomplete' ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
    usage: { input_tokens: promptWords, input_tokens_details: { cached_tokens: cached }, output_tokens: outputTokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: promptWords + outputTokens },
  }
  if (final.store) kept.set(final.id, { response: final, items: [...conversation, ...output] })
  const delay = Number(/\[slow:(\d+)\]/.exec(JSON.stringify(body.input))?.[1] ?? 0)
  if (body.stream !== true) {
    if (delay) await new Promise(r => setTimeout(r, delay))
    if (res.destroyed) return
    res.writeHead(200, { 'content-type': 'application/json' })
    return void res.end(JSON.stringify(final))
  }
  let seq = 0
  const events: string[] = []
  const send = (type: string, data: object) => events.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`)
  const progress = { ...base, status: 'in_progress', output: [], usage: null }
  send('response.created', { response: progress })
  send('response.in_progress', { response: progress })
  output.forEach((item, index) => {
    const at = { item_id: item.id, output_index: index }
    if (item.type === 'message') {
      const text = item.content[0].text
      send('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', content: [] } })
      send('response.content_part.added', { ...at, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } })
      for (const piece of text.match(/\S+\s*/g) ?? []) send('response.output_text.delta', { ...at, content_index: 0, delta: piece, logprobs: [] })
      send('response.output_text.done', { ...at, content_index: 0, text, logprobs: [] })
      send('response.content_part.done', { ...at, content_index: 0, part: item.content[0] })
    }
    else {
      send('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', arguments: '' } })
      send('response.function_call_arguments.delta', { ...at, delta: item.arguments })
      send('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.arguments })
    }
    send('response.output_item.done', { output_index: index, item })
  })
  send(status === 'completed' ? 'response.completed' : `response.${status}`, { response: final })
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  if (!delay) return void res.end(events.join(''))
  for (const e of events) {
    if (res.destroyed) return
    res.write(e)
    await new Promise(r => setTimeout(r, delay))
  }
  res.end()
}

export async function startFakeOpenAI(apiKey = 'sk-fake-openai-provider-key-0123456789'): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = []
  const faults: Faults = { statuses: [], resets: 0, delayMs: 0 }
  const fake = { abortedStreams: 0 }
  const kept = new Map<string, KeptResponse>()
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    let body: any
    let parsed = true
    try {
      body = raw ? JSON.parse(raw) : undefined
    }
    catch {
      parsed = false
    }
    const path = (req.url ?? '').split('?')[0]!
    requests.push({ method: req.method ?? '', path, headers: req.headers, body })
    if (faults.resets > 0) {
      faults.resets--
      return void req.socket.destroy()
    }
    // The fault is taken on arrival, so a call still waiting out a delay cannot take a later one's.
    const fault = faults.statuses.shift()
    if (faults.delayMs) await new Promise(r => setTimeout(r, faults.delayMs))
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) })
      return void res.end(JSON.stringify({ error: { message: `Injected failure ${fault.status}`, type: fault.status === 429 ? 'rate_limit_error' : 'server_error', param: null, code: null } }))
    }
    res.on('close', () => { if (!res.writableFinished) fake.abortedStreams++ })
    // As the real API: the key is checked before the body is looked at.
    const authorization = req.headers.authorization
    if (!authorization?.startsWith('Bearer ') || authorization === 'Bearer ') {
      return error(res, 401, 'You didn\'t provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).', 'invalid_request_error')
    }
    if (authorization !== `Bearer ${apiKey}`) {
      const shown = authorization.slice('Bearer '.length)
      return error(res, 401, `Incorrect API key provided: ${shown.slice(0, 6)}****${shown.slice(-4)}.`, 'invalid_request_error', 'invalid_api_key')
    }
    if (!parsed) return error(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error')
    // A body that is no JSON object has no model either.
    const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(res, fields)
    if (req.method === 'POST' && path === '/v1/embeddings') return embeddings(res, fields)
    if (req.method === 'POST' && path === '/v1/responses') return responsesApi(res, fields, kept)
    if (req.method === 'POST' && path === '/v1/responses/input_tokens') return inputTokens(res, fields, kept)
    const stored = /^\/v1\/responses\/([\w-]+)$/.exec(path)?.[1]
    if (req.method === 'DELETE' && stored) {
      if (!kept.delete(stored)) return error(res, 404, `Response with id '${stored}' not found.`, 'invalid_request_error')
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(JSON.stringify({ id: stored, object: 'response', deleted: true }))
    }
    error(res, 404, `Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error', 'unknown_url')
  })
  const { url, close } = await listenOnLoopback(server)
  return Object.assign(fake, { url: `${url}/v1`, apiKey, requests, faults, close })
}

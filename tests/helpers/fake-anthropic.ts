// A strict fake of Anthropic's Messages API on a loopback port. It checks what the real API checks
// (key, version header, unknown fields, roles and their alternation, tool_use/tool_result pairing,
// block shapes, max_tokens above the model's output limit, server tool types it does not have) and
// answers with Anthropic's error shapes; a stricter rule than the real API's is
// marked as such. Replies are deterministic:
// - echo text as the OpenAI fake's (`echo: ` + the last user text's words reversed);
// - tools and "weather" in the last user text → a text block, then a tool_use of the first tool
//   with input {"city":"Paris"} (stop_reason tool_use); a forced tool_choice always calls its tool;
// - a last message holding a tool_result → `tool result: <its content>`;
// - "[cached]" / "[cache-write]" / "[cache-write-1h]" in the prompt → 1024 cache-read / 2048
//   5-minute cache-write / 4096 1-hour cache-write input tokens, the writes split by lifetime in
//   `cache_creation` as the real API reports them;
// - "[fail-529]" in the last user text → 529 overloaded_error; "[fail-midstream]" (streaming) →
//   message_start, one text delta, then an `event: error` overloaded_error.
// - thinking on (`thinking` enabled or adaptive) → a signed thinking block first (`Thinking about: ` +
//   the last user text), its words counted as output tokens; "[redacted]" in the prompt adds a
//   redacted_thinking block after it. Streamed as thinking_delta pieces and one signature_delta.
// Thinking is checked as the real API checks it: the form per model family (budget_tokens on the
// 3.7 to 4.6 models, adaptive on 4.6 and later), budget_tokens at least 1024 and below max_tokens,
// no temperature/top_k beside it, no tool_choice forcing a tool, and on a tool-result continuation
// the assistant turn before must open with a thinking block; every thinking block sent back must
// carry the signature the fake gave that exact text (redacted data likewise).
// - `inference_geo` ("us" or "global") is echoed in usage.inference_geo ("global" when absent), and
//   refused on models before Claude 4.6 as the real API refuses it (the models the shipped registry
//   gives no US multiplier).
// `delayMs` holds every answer back that long (so that concurrent calls overlap). It also serves
// /v1/messages/count_tokens: the prompt fields only (checked as a message's), its input tokens.
import { createHmac, randomBytes } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import seed from '../../data/models.json'
import { fakeReply, type RecordedRequest } from './fake-openai'
import { listenOnLoopback, readJsonRequest } from './net'

export interface FakeAnthropic {
  /** Base URL, without /v1 (like https://api.anthropic.com). */
  url: string
  apiKey: string
  requests: RecordedRequest[]
  /** Wait this long before answering each call. */
  delayMs: number
  close: () => Promise<void>
}

/** The versions the fake knows. 2026-10-21 (what @anthropic-ai/sdk 1.x sends) no longer takes sampling parameters. */
const VERSIONS = new Set(['2023-06-01', '2026-10-21'])
const SAMPLING = new Set(['temperature', 'top_p', 'top_k'])
const TOP_LEVEL = new Set([
  'model', 'max_tokens', 'messages', 'system', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'tools', 'tool_choice',
  'stream', 'metadata', 'thinking', 'cache_control', 'container', 'output_config', 'service_tier', 'inference_geo', 'speed',
  // Context editing (Claude Code sends it with its beta header).
  'context_management',
])
const BLOCK_KEYS: Record<string, string[]> = {
  text: ['text', 'cache_control', 'citations'],
  image: ['source', 'cache_control'],
  document: ['source', 'title', 'context', 'citations', 'cache_control'],
  tool_use: ['id', 'name', 'input', 'cache_control'],
  tool_result: ['tool_use_id', 'content', 'is_error', 'cache_control'],
  thinking: ['thinking', 'signature'],
  redacted_thinking: ['data'],
}
const BLOCK_ROLES: Record<string, string> = { image: 'user', document: 'user', tool_result: 'user', tool_use: 'assistant', thinking: 'assistant', redacted_thinking: 'assistant' }
const TOOL_KEYS = new Set(['name', 'description', 'input_schema', 'cache_control', 'strict', 'type', 'input_examples', 'defer_loading', 'eager_input_streaming', 'allowed_callers'])
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])
/** Server tools by type (a dated version each), and the keys the web search tool takes. */
const SERVER_TOOL = /^(web_search|web_fetch|code_execution|bash|text_editor|computer|memory|tool_search_tool_(regex|bm25))_\d{8}$/
const WEB_SEARCH_KEYS = ['type', 'name', 'max_uses', 'allowed_domains', 'blocked_domains', 'user_location', 'cache_control']
/** Output limits as the real API enforces them (its own table, not the gateway's registry), by model or dated snapshot. */
const OUTPUT_LIMITS: Record<string, { snapshot: string, limit: number }> = {
  'claude-haiku-4-5': { snapshot: 'claude-haiku-4-5-20251001', limit: 64_000 },
  'claude-sonnet-4-5': { snapshot: 'claude-sonnet-4-5-20250929', limit: 64_000 },
  'claude-opus-4-1': { snapshot: 'claude-opus-4-1-20250805', limit: 32_000 },
  'claude-3-5-haiku-latest': { snapshot: 'claude-3-5-haiku-20241022', limit: 8_192 },
}
const outputLimit = (model: string) => OUTPUT_LIMITS[model] ?? Object.values(OUTPUT_LIMITS).find(l => l.snapshot === model)

class ApiError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message)
  }
}
const invalid = (message: string) => new ApiError(400, 'invalid_request_error', message)

const requestId = () => `req_fake${randomBytes(8).toString('hex')}`

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId() })
  res.end(JSON.stringify(body))
}

function sendError(res: ServerResponse, e: ApiError) {
  sendJson(res, e.status, { type: 'error', error: { type: e.type, message: e.message }, request_id: requestId() })
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v)
const blocksOf = (m: any): any[] => (typeof m?.content === 'string' ? [{ type: 'text', text: m.content }] : m?.content ?? [])
const words = (text: string) => text.split(/\s+/).filter(Boolean).length

function checkExtraKeys(obj: Record<string, unknown>, allowed: Iterable<string>, path: string) {
  const ok = new Set(allowed)
  for (const key of Object.keys(obj)) if (!ok.has(key)) throw invalid(`${path}.${key}: Extra inputs are not permitted`)
}

function checkText(b: any, path: string) {
  if (typeof b.text !== 'string') throw invalid(`${path}.text: Field required`)
  if (!b.text) throw invalid(`${path}.text: text content blocks must be non-empty`)
  if (!b.text.trim()) throw invalid(`${path}.text: text content blocks must contain non-whitespace text`)
}

function checkImage(b: any, path: string) {
  const s = b.source
  if (!isObject(s)) throw invalid(`${path}.source: Field required`)
  if (s.type === 'base64') {
    checkExtraKeys(s, ['type', 'media_type', 'data'], `${path}.source`)
    if (!IMAGE_TYPES.has(s.media_type)) throw invalid(`${path}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`)
    if (typeof s.data !== 'string' || !s.data) throw invalid(`${path}.source.base64.data: Field required`)
  }
  else if (s.type === 'url') {
    checkExtraKeys(s, ['type', 'url'], `${path}.source`)
    if (typeof s.url !== 'string' || !/^https?:\/\//.test(s.url)) throw invalid(`${path}.source.url.url: Input should be a valid URL`)
  }
  else {
    throw invalid(`${path}.source: Input tag '${s.type}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`)
  }
}

function checkBlock(b: any, role: string, path: string) {
  if (!isObject(b) || typeof b.type !== 'string') throw invalid(`${path}: Input should be a valid dictionary or object`)
  const keys = BLOCK_KEYS[b.type]
  if (!keys) throw invalid(`${path}: Input tag '${b.type}' found using 'type' does not match any of the expected tags: ${Object.keys(BLOCK_KEYS).map(k => `'${k}'`).join(', ')}`)
  checkExtraKeys(b, ['type', ...keys], `${path}.${b.type}`)
  if (BLOCK_ROLES[b.type] && BLOCK_ROLES[b.type] !== role) throw invalid(`${path}: \`${b.type}\` blocks can only be in \`${BLOCK_ROLES[b.type]}\` messages`)
  if (b.type === 'text') checkText(b, path)
  if (b.type === 'image') checkImage(b, path)
  if (b.type === 'tool_use') {
    if (typeof b.id !== 'string' || typeof b.name !== 'string') throw invalid(`${path}.tool_use: id and name are required`)
    if (!/^[\w-]+$/.test(b.id)) throw invalid(`${path}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`)
    if (!isObject(b.input)) throw invalid(`${path}.tool_use.input: Input should be a valid dictionary`)
  }
  if (b.type === 'tool_result') {
    if (typeof b.tool_use_id !== 'string') throw invalid(`${path}.tool_result.tool_use_id: Field required`)
    if (b.content !== undefined && typeof b.content !== 'string') {
      if (!Array.isArray(b.content)) throw invalid(`${path}.tool_result.content: Input should be a valid list`)
      b.content.forEach((c: any, k: number) => {
        if (c?.type !== 'text' && c?.type !== 'image') throw invalid(`${path}.tool_result.content.${k}: Input tag '${c?.type}' found using 'type' does not match any of the expected tags: 'text', 'image'`)
        checkBlock(c, 'user', `${path}.tool_result.content.${k}`)
      })
    }
  }
}

const SIGNING_KEY = randomBytes(16)
/** The signature the fake gives a thinking text (or redacted data): only the fake can make it. */
export const signatureOf = (text: string) => createHmac('sha256', SIGNING_KEY).update(text).digest('base64')

type ThinkingForm = 'none' | 'budget' | 'adaptive' | 'both'
function thinkingForms(model: string): ThinkingForm {
  if (/^claude-3-5|^claude-3-(haiku|sonnet|opus)/.test(model)) return 'none'
  if (/^claude-(3-7-sonnet|(opus|sonnet)-4-[015]|haiku-4-5)/.test(model)) return 'budget'
  if (/^claude-(opus|sonnet)-4-6/.test(model)) return 'both'
  return 'adaptive'
}

/** Checks `thinking` and `output_config`; true when thinking is on. */
function checkThinking(body: any): boolean {
  if (body.output_config !== undefined) {
    if (!isObject(body.output_config)) throw invalid('output_config: Input should be a valid dictionary')
    checkExtraKeys(body.output_config, ['effort', 'format'], 'output_config')
    if (body.output_config.effort !== undefined && !['low', 'medium', 'high', 'max'].includes(body.output_config.effort)) {
      throw invalid(`output_config.effort: Input should be 'low', 'medium', 'high' or 'max'`)
    }
  }
  const t = body.thinking
  if (t === undefined) return false
  if (!isObject(t)) throw invalid('thinking: Input should be a valid dictionary or object')
  const forms = thinkingForms(body.model)
  if (t.type === 'disabled') {
    checkExtraKeys(t, ['type'], 'thinking.disabled')
    return false
  }
  if (t.type === 'enabled') {
    checkExtraKeys(t, ['type', 'budget_tokens', 'display'], 'thinking.enabled')
    if (forms !== 'budget' && forms !== 'both') throw invalid(forms === 'none' ? `thinking: '${body.model}' does not support thinking.` : `thinking.type.enabled is not supported for this model. Use thinking.type.adaptive and output_config.effort to control thinking behavior.`)
    if (!Number.isInteger(t.budget_tokens)) throw invalid('thinking.enabled.budget_tokens: Field required')
    if (t.budget_tokens < 1024) throw invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024')
    if (t.budget_tokens >= body.max_tokens) throw invalid('`max_tokens` must be greater than `thinking.budget_tokens`.')
  }
  else if (t.type === 'adaptive') {
    checkExtraKeys(t, ['type', 'display'], 'thinking.adaptive')
    if (forms !== 'adaptive' && forms !== 'both') throw invalid(`thinking.type.adaptive is not supported for this model.`)
  }
  else {
    throw invalid(`thinking: Input tag '${t.type}' found using 'type' does not match any of the expected tags: 'adaptive', 'disabled', 'enabled'`)
  }
  if (body.temperature !== undefined && body.temperature !== 1) throw invalid('`temperature` may only be set to 1 when thinking is enabled or in adaptive mode.')
  if (body.top_p !== undefined && body.top_p < 0.95) throw invalid('`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled or in adaptive mode.')
  if (body.top_k !== undefined) throw invalid('`top_k` must be unset when thinking is enabled or in adaptive mode.')
  if (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool') throw invalid('Thinking may not be enabled when tool_choice forces tool use.')
  return true
}

/** Every thinking block must be one the fake signed, unchanged; a tool loop's last assistant turn must open with one. */
function checkThinkingBlocks(messages: any[], thinking: boolean) {
  messages.forEach((m: any, i) => {
    blocksOf(m).forEach((b, j) => {
      if (b.type === 'thinking' && b.signature !== signatureOf(b.thinking)) throw invalid(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`)
      if (b.type === 'redacted_thinking' && !String(b.data).startsWith('redacted:')) throw invalid(`messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`)
    })
  })
  const [assistant, user] = messages.slice(-2)
  if (!thinking || assistant?.role !== 'assistant' || !blocksOf(user).some(b => b.type === 'tool_result')) return
  const first = blocksOf(assistant)[0]
  if (first?.type !== 'thinking' && first?.type !== 'redacted_thinking') {
    throw invalid(`messages.${messages.length - 2}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first?.type}\`. With thinking on, the assistant turn a tool result answers must open with its thinking block, as it was received.`)
  }
}

const toolUseIds = (m: any) => new Set<string>(m?.role === 'assistant' ? blocksOf(m).filter(b => b.type === 'tool_use').map(b => b.id) : [])

function checkMessages(messages: unknown) {
  if (!Array.isArray(messages)) throw invalid('messages: Field required')
  if (!messages.length) throw invalid('messages: at least one message is required')
  let prev: any
  messages.forEach((m: any, i) => {
    if (!isObject(m)) throw invalid(`messages.${i}: Input should be a valid dictionary or object`)
    checkExtraKeys(m, ['role', 'content'], `messages.${i}`)
    // Stricter than the newest API versions, which accept mid-conversation system turns.
    if (m.role !== 'user' && m.role !== 'assistant') throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`)
    if (i === 0 && m.role !== 'user') throw invalid('messages: first message must use the "user" role')
    // Stricter than the real API, which merges consecutive same-role turns.
    if (prev?.role === m.role) throw invalid(`messages: roles must alternate between "user" and "assistant", but found multiple "${m.role}" roles in a row`)
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) throw invalid(`messages.${i}.content: Field required`)
    const blocks = blocksOf(m)
    const finalAssistant = i === messages.length - 1 && m.role === 'assistant'
    if (!blocks.length && !finalAssistant) throw invalid(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`)
    blocks.forEach((b, j) => checkBlock(b, m.role, `messages.${i}.content.${j}`))
    const expected = toolUseIds(prev)
    const results = blocks.filter(b => b.type === 'tool_result')
    for (const r of results) {
      if (!expected.has(r.tool_use_id)) {
        throw invalid(`messages.${i}.content.${blocks.indexOf(r)}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${r.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`)
      }
    }
    const missing = [...expected].filter(id => !results.some(r => r.tool_use_id === id))
    if (missing.length) {
      throw invalid(`messages.${i - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`)
    }
    const firstOther = blocks.findIndex(b => b.type !== 'tool_result')
    if (results.length && firstOther !== -1 && blocks.slice(firstOther).some(b => b.type === 'tool_result')) {
      throw invalid(`messages.${i}: \`tool_result\` blocks must come before any other content in a user message`)
    }
    prev = m
  })
}

function checkTools(tools: unknown, toolChoice: unknown) {
  if (tools !== undefined) {
    if (!Array.isArray(tools)) throw invalid('tools: Input should be a valid list')
    const names = new Set<string>()
    tools.forEach((t: any, i) => {
      if (!isObject(t)) throw invalid(`tools.${i}: Input should be a valid dictionary or object`)
      if (t.type && t.type !== 'custom') {
        if (!SERVER_TOOL.test(t.type)) throw invalid(`tools.${i}: Input tag '${t.type}' found using 'type' does not match any of the expected tags`)
        if (t.type.startsWith('web_search_')) {
          checkExtraKeys(t, WEB_SEARCH_KEYS, `tools.${i}.${t.type}`)
          if (t.name !== 'web_search') throw invalid(`tools.${i}.${t.type}.name: Input should be 'web_search'`)
        }
        return
      }
      checkExtraKeys(t, TOOL_KEYS, `tools.${i}.custom`)
      if (typeof t.name !== 'string' || !/^[\w-]{1,64}$/.test(t.name)) throw invalid(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`)
      if (!isObject(t.input_schema)) throw invalid(`tools.${i}.custom.input_schema: Field required`)
      if (t.input_schema.type !== 'object') throw invalid(`tools.${i}.custom.input_schema.type: Input should be 'object'`)
      if (names.has(t.name)) throw invalid('tools: Tool names must be unique.')
      names.add(t.name)
    })
  }
  if (toolChoice === undefined) return
  if (!isObject(toolChoice)) throw invalid('tool_choice: Input should be a valid dictionary or object')
  if (!Array.isArray(tools) || !tools.length) throw invalid('tool_choice: tool_choice may only be specified while providing tools')
  const allowed: Record<string, string[]> = { auto: ['disable_parallel_tool_use'], any: ['disable_parallel_tool_use'], tool: ['name', 'disable_parallel_tool_use'], none: [] }
  const keys = allowed[toolChoice.type as string]
  if (!keys) throw invalid(`tool_choice: Input tag '${toolChoice.type}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`)
  checkExtraKeys(toolChoice, ['type', ...keys], `tool_choice.${toolChoice.type}`)
  if (toolChoice.type === 'tool' && !tools.some((t: any) => t.name === toolChoice.name)) throw invalid(`tool_choice: Tool '${toolChoice.name}' not found in provided tools`)
}

function checkBody(body: any, version: string): boolean {
  if (!isObject(body)) throw invalid('body: Input should be a valid dictionary')
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key) || (version !== '2023-06-01' && SAMPLING.has(key))) throw invalid(`${key}: Extra inputs are not permitted`)
  }
  if (typeof body.model !== 'string' || !body.model) throw invalid('model: Field required')
  if (body.max_tokens === undefined) throw invalid('max_tokens: Field required')
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 0) throw invalid('max_tokens: Input should be a valid integer greater than or equal to 0')
  const limit = outputLimit(body.model)
  if (limit && body.max_tokens > limit.limit) throw invalid(`max_tokens: ${body.max_tokens} > ${limit.limit}, which is the maximum allowed number of output tokens for ${limit.snapshot}`)
  if (body.system !== undefined && typeof body.system !== 'string') {
    if (!Array.isArray(body.system)) throw invalid('system: Input should be a valid string or list')
    body.system.forEach((b: any, j: number) => {
      if (b?.type !== 'text') throw invalid(`system.${j}.type: Input should be 'text'`)
      checkBlock(b, 'system', `system.${j}`)
    })
  }
  for (const key of ['temperature', 'top_p'] as const) {
    if (body[key] !== undefined && (typeof body[key] !== 'number' || body[key] < 0 || body[key] > 1)) throw invalid(`${key}: Input should be less than or equal to 1`)
  }
  // As current models do (older ones took both).
  if (body.temperature !== undefined && body.top_p !== undefined) throw invalid('`temperature` and `top_p` cannot both be specified for this model. Please use only one.')
  if (body.top_k !== undefined && (!Number.isInteger(body.top_k) || body.top_k < 0)) throw invalid('top_k: Input should be a valid integer')
  if (body.stop_sequences !== undefined && (!Array.isArray(body.stop_sequences) || body.stop_sequences.some((s: unknown) => typeof s !== 'string'))) {
    throw invalid('stop_sequences: Input should be a valid list of strings')
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw invalid('stream: Input should be a valid boolean')
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata)) throw invalid('metadata: Input should be a valid dictionary')
    checkExtraKeys(body.metadata, ['user_id'], 'metadata')
  }
  checkTools(body.tools, body.tool_choice)
  checkMessages(body.messages)
  const thinking = checkThinking(body)
  checkThinkingBlocks(body.messages, thinking)
  return thinking
}

const textOfBlocks = (blocks: any[]): string =>
  blocks.map(b => (b.type === 'text' ? b.text : b.type === 'tool_result' ? (typeof b.content === 'string' ? b.content : textOfBlocks(b.content ?? [])) : '')).join(' ')

interface Reply {
  content: any[]
  stop_reason: string
  stop_sequence: string | null
  usage: {
    input_tokens: number
    cache_creation_input_tokens: number
    cache_read_input_tokens: number
    cache_creation: { ephemeral_5m_input_tokens: number, ephemeral_1h_input_tokens: number }
    output_tokens: number
  }
}

let toolUseCounter = 0
const toolUse = (name: string) => ({ type: 'tool_use', id: `toolu_fake${String(++toolUseCounter).padStart(6, '0')}`, name, input: { city: 'Paris' } })

function lastUserText(messages: any[]): string {
  const last = [...messages].reverse().find(m => m.role === 'user')
  return blocksOf(last).filter(b => b.type === 'text').map(b => b.text).join(' ')
}

function promptText(body: any): string {
  const system = typeof body.system === 'string' ? body.system : textOfBlocks(body.system ?? [])
  return [system, ...body.messages.map((m: any) => textOfBlocks(blocksOf(m)))].join(' ')
}

/** The prompt's tokens: what a message's usage reports, and what count_tokens answers. */
const promptTokens = (body: any) => 3 + body.messages.length * 4 + words(promptText(body))

function thinkingBlocks(body: any, userText: string): any[] {
  const thinking = `Thinking about: ${userText}`
  const prompt = JSON.stringify(body.messages)
  const redacted = prompt.includes('[redacted]') ? [{ type: 'redacted_thinking', data: `redacted:${randomBytes(6).toString('base64')}` }] : []
  return [{ type: 'thinking', thinking, signature: signatureOf(thinking) }, ...redacted]
}

function reply(body: any, thinking: boolean): Reply {
  const last = body.messages.at(-1)
  const result = last.role === 'user' ? [...blocksOf(last)].reverse().find(b => b.type === 'tool_result') : undefined
  const userText = lastUserText(body.messages)
  const tools = (body.tools ?? []).filter((t: any) => !t.type || t.type === 'custom')
  const choice = body.tool_choice
  const forced = choice?.type === 'tool' ? choice.name : choice?.type === 'any' ? tools[0]?.name : undefined
  let content: any[]
  if (forced) content = [toolUse(forced)]
  else if (result) content = [{ type: 'text', text: `tool result: ${textOfBlocks([result])}` }]
  else if (tools.length && choice?.type !== 'none' && /weather/i.test(userText)) content = [{ type: 'text', text: 'Let me check the weather.' }, toolUse(tools[0].name)]
  else content = [{ type: 'text', text: fakeReply([{ role: 'user', content: userText }]) }]

  let stopReason = content.some(b => b.type === 'tool_use') ? 'tool_use' : 'end_turn'
  let stopSequence: string | null = null
  if (stopReason === 'end_turn') {
    let text: string = content[0].text
    const hits = ((body.stop_sequences ?? []) as string[]).filter(seq => text.includes(seq))
    const first = hits.sort((a, b) => text.indexOf(a) - text.indexOf(b))[0]
    if (first !== undefined) [text, stopReason, stopSequence] = [text.slice(0, text.indexOf(first)), 'stop_sequence', first]
    const pieces = text.split(' ')
    if (pieces.length > body.max_tokens) [text, stopReason, stopSequence] = [pieces.slice(0, body.max_tokens).join(' '), 'max_tokens', null]
    content = text.trim() ? [{ type: 'text', text }] : []
  }

  if (thinking) content = [...thinkingBlocks(body, userText), ...content]
  const prompt = promptText(body)
  const output = content.reduce((n, b) => n + (b.type === 'text' ? words(b.text) : b.type === 'thinking' ? words(b.thinking) : b.type === 'redacted_thinking' ? 8 : 12), 0)
  const written5m = prompt.includes('[cache-write]') ? 2048 : 0
  const written1h = prompt.includes('[cache-write-1h]') ? 4096 : 0
  return {
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    usage: {
      input_tokens: promptTokens(body),
      cache_creation_input_tokens: written5m + written1h,
      cache_read_input_tokens: prompt.includes('[cached]') ? 1024 : 0,
      cache_creation: { ephemeral_5m_input_tokens: written5m, ephemeral_1h_input_tokens: written1h },
      output_tokens: output,
    },
  }
}

const sse = (type: string, data: object = {}) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`

/** The real event sequence; tool input JSON arrives in 5-character fragments, split mid-token. */
function streamEvents(message: any, failMidstream: boolean): string[] {
  const start = { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } }
  const out = [sse('message_start', { message: start })]
  if (failMidstream) {
    out.push(sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }))
    out.push(sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Partial' } }))
    out.push(sse('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }))
    return out
  }
  message.content.forEach((block: any, index: number) => {
    if (block.type === 'text') {
      out.push(sse('content_block_start', { index, content_block: { type: 'text', text: '' } }))
      if (index === 0) out.push(sse('ping'))
      for (const piece of block.text.match(/\S+\s*/g) ?? []) out.push(sse('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }))
    }
    else if (block.type === 'thinking') {
      out.push(sse('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }))
      if (index === 0) out.push(sse('ping'))
      for (const piece of block.thinking.match(/\S+\s*/g) ?? []) out.push(sse('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } }))
      out.push(sse('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } }))
    }
    else if (block.type === 'redacted_thinking') {
      out.push(sse('content_block_start', { index, content_block: block }))
    }
    else {
      out.push(sse('content_block_start', { index, content_block: { ...block, input: {} } }))
      if (index === 0) out.push(sse('ping'))
      const json = JSON.stringify(block.input)
      out.push(sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } }))
      for (let k = 0; k < json.length; k += 5) out.push(sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(k, k + 5) } }))
    }
    out.push(sse('content_block_stop', { index }))
  })
  // Newer API versions repeat the input counts in message_delta; output_tokens is the final total.
  const { service_tier: _, inference_geo: _geo, ...usage } = message.usage
  out.push(sse('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence }, usage }))
  out.push(sse('message_stop'))
  return out
}

let messageCounter = 0

/** Models that take `inference_geo`: Claude 4.6 and later, those the registry prices with a US multiplier. */
const GEO_MODELS = new Set(seed.models.filter(m => (m.pricing as { geoMultipliers?: object }).geoMultipliers).flatMap(m => [m.id, ...m.aliases]))

function inferenceGeo(body: any): string {
  if (body.inference_geo === undefined || body.inference_geo === null) return 'global'
  if (!['us', 'global'].includes(body.inference_geo)) throw invalid('inference_geo: Input should be \'us\' or \'global\'')
  if (!GEO_MODELS.has(body.model)) throw invalid(`inference_geo is not supported for model ${body.model}`)
  return body.inference_geo
}

function messages(res: ServerResponse, body: any, version: string) {
  const thinking = checkBody(body, version)
  const text = lastUserText(body.messages)
  if (text.includes('[fail-529]')) throw new ApiError(529, 'overloaded_error', 'Overloaded')
  const geo = inferenceGeo(body)
  const r = reply(body, thinking)
  const message = { id: `msg_fake${String(++messageCounter).padStart(6, '0')}`, type: 'message', role: 'assistant', model: body.model, ...r, usage: { ...r.usage, service_tier: 'standard', inference_geo: geo } }
  if (body.stream !== true) return sendJson(res, 200, message)
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId() })
  for (const event of streamEvents(message, text.includes('[fail-midstream]'))) res.write(event)
  res.end()
}

/** The fields count_tokens takes: a message request's prompt, without its generation settings. */
const COUNT_FIELDS = new Set(['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'mcp_servers', 'context_management', 'output_config'])

/** POST /v1/messages/count_tokens: the prompt checked as a message request's, and its tokens. */
function countTokens(res: ServerResponse, body: any) {
  if (!isObject(body)) throw invalid('body: Input should be a valid dictionary')
  for (const key of Object.keys(body)) if (!COUNT_FIELDS.has(key)) throw invalid(`${key}: Extra inputs are not permitted`)
  checkBody({ ...body, max_tokens: 1 }, '2023-06-01')
  sendJson(res, 200, { input_tokens: promptTokens(body) })
}

export async function startFakeAnthropic(apiKey = 'sk-ant-fake-provider-key-0123456789'): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = []
  const fake = { delayMs: 0 }
  const server = createServer(async (req, res) => {
    const { path, body, parsed } = await readJsonRequest(req)
    requests.push({ method: req.method ?? '', path, headers: req.headers, body })
    if (!parsed) return sendError(res, invalid('There was an issue with your request body: it is not valid JSON.'))
    if (fake.delayMs) await new Promise(r => setTimeout(r, fake.delayMs))
    try {
      // The API takes the key from x-api-key, else from a bearer Authorization header (what SDK 1.x sends).
      const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '')
      if (key !== apiKey) throw new ApiError(401, 'authentication_error', 'invalid x-api-key')
      const version = req.headers['anthropic-version']
      if (typeof version !== 'string') throw invalid('anthropic-version: header is required')
      if (!VERSIONS.has(version)) throw invalid(`anthropic-version: invalid version '${version}'`)
      if (req.method === 'POST' && path === '/v1/messages') return messages(res, body, version)
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') return countTokens(res, body)
      throw new ApiError(404, 'not_found_error', 'Not Found')
    }
    catch (e) {
      if (!(e instanceof ApiError)) throw e
      sendError(res, e)
    }
  })
  const { url, close } = await listenOnLoopback(server)
  return Object.assign(fake, { url, apiKey, requests, close })
}

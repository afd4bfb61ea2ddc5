// OpenAI chat request → Anthropic Messages request. Anthropic rejects unknown fields, so the body is
// built field by field: anything without an Anthropic counterpart is left out.
//
// Choices made where the APIs differ:
// - system/developer messages, wherever they stand, are joined into the top-level `system`.
// - Consecutive turns of one role are merged (tool results are user turns, so a run of tool
//   messages and the user text after it become one user turn, results first as Anthropic wants).
// - Anthropic wants the first turn to be the user's. When a conversation opens with the assistant
//   (or holds only system messages), a one-character user turn is put in front: the least text that
//   satisfies the rule without telling the model anything.
// - temperature and top_p follow the model's sampling limits in the registry (../reasoning.ts):
//   Claude takes temperature 0..1 (higher values are lowered to 1) and not beside top_p.
// - reasoning_effort turns on extended thinking in the form the model takes (the registry says):
//   a budget_tokens below max_tokens, or adaptive thinking with output_config.effort. Thinking takes
//   no temperature or top_p, so those stay out. The signed thinking blocks of earlier turns (the
//   assistant message's `thinking_blocks`) open their assistant turn again, as Anthropic wants.
// - Tool call ids are reduced to the characters Anthropic allows ([A-Za-z0-9_-]), the same way in
//   tool_use and tool_result blocks, so ids minted by other providers still pair up.
// - response_format json_schema and json_object are both answered through one forced tool whose
//   input schema is the requested schema (json_object: any object). Tool input is always a JSON
//   object, which a system-prompt instruction could not guarantee. The response side turns that
//   tool call back into the message content.
// - web_search_options (the gateway keeps it only for models that search, gateway/fit-target.ts) is
//   Anthropic's web search server tool; its result blocks are not shown in the OpenAI form, the
//   answer's text is.
import { badRequest } from '../../core/errors'
import type { ChatCompletionRequest, ChatMessage, ReasoningEffort } from '../../dialects/openai'
import { effortFor, samplingFor, thinkingBudget } from '../reasoning'
import { type ChatCall, jsonPost, type UpstreamRequest, type UpstreamTarget } from '../types'
import { anthropicApi } from './api'

/** The tool a response_format is answered through; a name no client tool is likely to have. */
export const JSON_TOOL = 'gateway_json_response'
/** max_tokens (which Anthropic requires) when the call sets no cap and the registry knows no limit. */
const DEFAULT_MAX_TOKENS = 4096
const OPENING_USER_TEXT = '.'

type Block = Record<string, unknown>
interface Turn { role: 'user' | 'assistant', content: Block[] }
type Part = Exclude<ChatMessage['content'], string | null | undefined>[number]

/** A Messages API call; `headers` are the protocol options a client chose (its version, betas). */
export function messagesPost(target: UpstreamTarget, body: unknown, headers: Record<string, string> = {}): UpstreamRequest {
  return jsonPost(anthropicApi.chat(target, target.model, false), JSON.stringify(body), headers)
}

const partsOf = (content: ChatMessage['content']): Part[] =>
  typeof content === 'string' ? [{ type: 'text', text: content }] : content ?? []

const textOf = (content: ChatMessage['content']): string =>
  partsOf(content).map(p => (typeof p.text === 'string' ? p.text : '')).join('')

/** Keeps a client's `cache_control` marker (a common extension of OpenAI content parts). */
const withCacheControl = (block: Block, part: Part): Block =>
  part.cache_control ? { ...block, cache_control: part.cache_control } : block

function imageBlock(url: string, where: string): Block {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url)
  if (data) return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } }
  throw badRequest('Images must be base64 data: URIs or http(s) URLs.', where, 'invalid_image_url')
}

function partBlock(part: Part, where: string): Block {
  if (part.type === 'text' && typeof part.text === 'string') return withCacheControl({ type: 'text', text: part.text }, part)
  if (part.type === 'refusal' && typeof part.refusal === 'string') return { type: 'text', text: part.refusal }
  if (part.type === 'image_url') {
    const image = part.image_url as string | { url?: string } | undefined
    return withCacheControl(imageBlock((typeof image === 'string' ? image : image?.url) ?? '', where), part)
  }
  throw badRequest(`Content parts of type '${part.type}' are not supported for Anthropic models.`, where, 'unsupported_content')
}

const toolId = (id: string) => id.replace(/[^\w-]/g, '_')

/** Tool call arguments as an object: Anthropic needs one, and a model's bad JSON must not fail the request. */
export function parseToolArguments(args: string): Record<string, unknown> {
  try {
    const value = JSON.parse(args)
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {}
  }
  catch {
    return {}
  }
}

function systemPrompt(messages: ChatMessage[]): string | Block[] | undefined {
  const blocks = messages
    .filter(m => m.role === 'system' || m.role === 'developer')
    .flatMap(m => partsOf(m.content))
    .filter(p => typeof p.text === 'string' && p.text.trim())
    .map(p => withCacheControl({ type: 'text', text: p.text }, p))
  if (!blocks.length) return undefined
  return blocks.some(b => b.cache_control) ? blocks : blocks.map(b => b.text).join('\n\n')
}

/** Anthropic rejects empty and whitespace-only text blocks. */
const hasContent = (b: Block) => b.type !== 'text' || (typeof b.text === 'string' && b.text.trim() !== '')

function turns(messages: ChatMessage[]): Turn[] {
  const out: Turn[] = []
  const push = (role: Turn['role'], blocks: Block[]) => {
    const content = blocks.filter(hasContent)
    if (!content.length) return
    const last = out.at(-1)
    if (last?.role === role) last.content.push(...content)
    else out.push({ role, content })
  }
  messages.forEach((m, i) => {
    const where = `messages[${i}]`
    const blocks = () => partsOf(m.content).map(p => partBlock(p, `${where}.content`))
    switch (m.role) {
      case 'system':
      case 'developer':
        return
      case 'assistant':
        return push('assistant', [
          ...(m.thinking_blocks ?? []).map(b => (b.type === 'thinking' ? { type: 'thinking', thinking: b.thinking, signature: b.signature } : { type: 'redacted_thinking', data: b.data })),
          ...blocks(),
          ...(m.tool_calls ?? []).map(c => ({ type: 'tool_use', id: toolId(c.id), name: c.function.name, input: parseToolArguments(c.function.arguments) })),
        ])
      case 'tool': {
        if (!m.tool_call_id) throw badRequest(`Missing required parameter: '${where}.tool_call_id'.`, `${where}.tool_call_id`, 'missing_required_parameter')
        const text = textOf(m.content)
        return push('user', [{ type: 'tool_result', tool_use_id: toolId(m.tool_call_id), ...(text ? { content: text } : {}) }])
      }
      default: // user, and the legacy `function` role (no call id to pair it with, so plain user text)
        return push('user', blocks())
    }
  })
  if (out[0]?.role !== 'user') out.unshift({ role: 'user', content: [{ type: 'text', text: OPENING_USER_TEXT }] })
  return out
}

function jsonTool(format: ChatCompletionRequest['response_format']): Block | undefined {
  if (format?.type !== 'json_object' && format?.type !== 'json_schema') return undefined
  const spec = (format.type === 'json_schema' ? format.json_schema : {}) as { schema?: Record<string, unknown>, description?: string }
  return {
    name: JSON_TOOL,
    description: spec.description ?? 'Give the final answer as a JSON object: the input of this tool.',
    input_schema: spec.schema ?? { type: 'object', additionalProperties: true },
  }
}

function clientTools(req: ChatCompletionRequest): Block[] {
  return (req.tools ?? []).map(t => ({
    name: t.function.name,
    ...(t.function.description ? { description: t.function.description } : {}),
    input_schema: { type: 'object', properties: {}, ...t.function.parameters },
    ...(t.function.strict ? { strict: true } : {}),
  }))
}

function toolChoice(req: ChatCompletionRequest, hasClientTools: boolean, json: boolean): Block | undefined {
  const choice = req.tool_choice
  let out: Block | undefined
  // A response_format must be answered through its tool unless client tools may be called first.
  if (json && (!hasClientTools || choice === 'none')) out = { type: 'tool', name: JSON_TOOL }
  else if (choice && typeof choice === 'object') out = { type: 'tool', name: choice.function.name }
  else if (json || choice === 'required') out = { type: 'any' }
  else if (choice === 'none') out = { type: 'none' }
  else if (choice === 'auto' || req.parallel_tool_calls === false) out = { type: 'auto' }
  if (out && out.type !== 'none' && req.parallel_tool_calls === false) out.disable_parallel_tool_use = true
  return out
}

const ADAPTIVE_EFFORT: Record<ReasoningEffort, string> = { none: 'low', minimal: 'low', low: 'low', medium: 'medium', high: 'high', xhigh: 'max' }

/**
 * A tool result answering an assistant turn that does not open with thinking: Anthropic refuses
 * thinking on such a continuation (the turn was written without it, e.g. by another model), so
 * thinking stays off until the loop ends.
 */
function unsignedToolLoop(messages: Turn[]): boolean {
  const [assistant, user] = messages.slice(-2)
  return assistant?.role === 'assistant' && !!user?.content.some(b => b.type === 'tool_result')
    && assistant.content[0]?.type !== 'thinking' && assistant.content[0]?.type !== 'redacted_thinking'
}

/** Anthropic refuses thinking beside a tool_choice that forces a tool (a response_format's too). */
const forcesTool = (choice: Block | undefined) => choice?.type === 'any' || choice?.type === 'tool'

function thinking(req: ChatCompletionRequest, target: UpstreamTarget, maxTokens: number, messages: Turn[], choice: Block | undefined): Block {
  const asked = effortFor(req, target)
  if (!asked || asked.effort === 'none' || unsignedToolLoop(messages) || forcesTool(choice)) return {}
  if (asked.control.control === 'adaptive') return { thinking: { type: 'adaptive' }, output_config: { effort: ADAPTIVE_EFFORT[asked.effort] } }
  if (asked.control.control !== 'budget') return {}
  // max_tokens counts thinking too: half of it at most, so the answer keeps room, but never less than
  // the model's least budget while that stays below the cap.
  const ceiling = Math.min(maxTokens - 1, Math.max(Math.floor(maxTokens / 2), asked.control.minBudget ?? 0))
  return { thinking: { type: 'enabled', budget_tokens: thinkingBudget(asked.effort, asked.control, ceiling, req.max_tokens == null ? 'max_completion_tokens' : 'max_tokens') } }
}

/** Anthropic's web search server tool, in the version every model with web search takes. */
const WEB_SEARCH_TOOL = { type: 'web_search_20250305', name: 'web_search' }

export function chatRequest(req: ChatCompletionRequest, target: UpstreamTarget, { stream, maxOutputTokens }: ChatCall): UpstreamRequest {
  if ((req.n ?? 1) > 1) throw badRequest('Anthropic models return a single choice: n must be 1.', 'n', 'unsupported_parameter')
  const json = jsonTool(req.response_format)
  const own = clientTools(req)
  const tools = [...own, ...(json ? [json] : []), ...(req.web_search_options ? [WEB_SEARCH_TOOL] : [])]
  // The call's cap is the client's (bounded) or a budgeted key's default; without one, the model's limit.
  const maxTokens = maxOutputTokens ?? target.entry.maxOutputTokens ?? DEFAULT_MAX_TOKENS
  const messages = turns(req.messages)
  const choice = own.length || json ? toolChoice(req, own.length > 0, !!json) : undefined
  const reasoning = thinking(req, target, maxTokens, messages, choice)
  return messagesPost(target, {
    model: target.model,
    max_tokens: maxTokens,
    system: systemPrompt(req.messages),
    messages,
    stop_sequences: req.stop == null ? undefined : [req.stop].flat(),
    ...samplingFor(req, target, reasoning.thinking !== undefined),
    ...reasoning,
    tools: tools.length ? tools : undefined,
    tool_choice: choice,
    metadata: req.user ? { user_id: req.user } : undefined,
    stream: stream || undefined,
  })
}

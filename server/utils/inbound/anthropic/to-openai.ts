// Anthropic Messages request → the gateway's OpenAI-shaped chat request, for models that are not
// Claude (Claude models get the request natively: ./native.ts). What has no OpenAI counterpart is a
// 400 rather than silently lost: server tools other than web search, documents, cache warming. The
// web search server tool becomes the chat form's `web_search_options`, kept only for a target that
// can search (gateway/fit-target.ts). The output cap is sent as max_completion_tokens, which every
// OpenAI model takes (reasoning models refuse max_tokens). `metadata.user_id` is Anthropic's: other
// providers are not sent it. Thinking blocks of earlier turns are dropped: only Claude could read
// them back. `thinking` becomes reasoning_effort (a budget by its size, adaptive thinking by
// output_config.effort), which each adapter maps to its model.
import { badRequest } from '../../core/errors'
import { ChatCompletionRequest, type ChatMessage, type ReasoningEffort } from '../../dialects/openai'
import type { InboundMessage, MessagesRequest } from '../../dialects/anthropic'

interface Block { type: string, [key: string]: any }

const unsupported = (what: string, where: string) =>
  badRequest(`${what} can only be sent to Claude models.`, where, 'unsupported_content')

/** System prompts and tool results: a string, or text blocks. */
function textOf(content: string | Block[] | null | undefined, where: string): string {
  if (typeof content === 'string' || content == null) return content ?? ''
  return content.map((b, j) => {
    if (b.type !== 'text') throw unsupported(`Content blocks of type '${b.type}' here`, `${where}[${j}]`)
    return b.text
  }).join('\n\n')
}

function imagePart(block: Block, where: string) {
  const source = block.source ?? {}
  if (source.type === 'base64') return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } }
  if (source.type === 'url') return { type: 'image_url', image_url: { url: source.url } }
  throw unsupported(`Images of source type '${source.type}'`, where)
}

/** A user turn: its tool results become tool messages (first, as OpenAI wants them after the calls), the rest one user message. */
function userMessages(content: InboundMessage['content'], where: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }]
  const results: ChatMessage[] = []
  const parts: Record<string, unknown>[] = []
  ;(content as Block[]).forEach((b, j) => {
    const at = `${where}.content[${j}]`
    if (b.type === 'tool_result') results.push({ role: 'tool', tool_call_id: b.tool_use_id, content: textOf(b.content, `${at}.content`) })
    else if (b.type === 'text') parts.push({ type: 'text', text: b.text })
    else if (b.type === 'image') parts.push(imagePart(b, at))
    else throw unsupported(`Content blocks of type '${b.type}'`, at)
  })
  return parts.length ? [...results, { role: 'user', content: parts as ChatMessage['content'] }] : results
}

function assistantMessage(content: InboundMessage['content'], where: string): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content }
  let text = ''
  const toolCalls: NonNullable<ChatMessage['tool_calls']> = []
  ;(content as Block[]).forEach((b, j) => {
    if (b.type === 'text') text += b.text
    else if (b.type === 'tool_use') toolCalls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } })
    else if (b.type !== 'thinking' && b.type !== 'redacted_thinking') throw unsupported(`Content blocks of type '${b.type}'`, `${where}.content[${j}]`)
  })
  return { role: 'assistant', content: text || (toolCalls.length ? null : ''), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }
}

/** Anthropic's web search server tool, in each of its versions. */
const WEB_SEARCH = /^web_search_\d{8}$/

/** The client tools as function tools, and whether the request asked for web search. */
function tools(req: MessagesRequest) {
  let webSearch = false
  const functions = (req.tools ?? []).flatMap((t, i) => {
    if (t.type && WEB_SEARCH.test(t.type)) {
      webSearch = true
      return []
    }
    if (t.type && t.type !== 'custom') throw unsupported(`The server tool '${t.name}' (${t.type})`, `tools[${i}]`)
    return [{
      type: 'function' as const,
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema ?? { type: 'object', properties: {} } },
    }]
  })
  return { functions: functions.length ? functions : undefined, webSearch }
}

const ADAPTIVE_EFFORTS: Record<string, ReasoningEffort> = { low: 'low', medium: 'medium', high: 'high', max: 'xhigh' }

function reasoningEffort(req: MessagesRequest): ReasoningEffort | undefined {
  const thinking = req.thinking as { type?: string, budget_tokens?: number } | undefined
  if (thinking?.type === 'enabled') {
    const budget = thinking.budget_tokens ?? 0
    return budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high'
  }
  // Adaptive thinking's default effort is high.
  if (thinking?.type === 'adaptive') return ADAPTIVE_EFFORTS[(req.output_config as { effort?: string } | undefined)?.effort ?? 'high'] ?? 'high'
  return undefined
}

const TOOL_CHOICES = { auto: 'auto', any: 'required', none: 'none' } as const

function toolChoice(choice: MessagesRequest['tool_choice']) {
  if (!choice) return undefined
  return choice.type === 'tool' ? { type: 'function' as const, function: { name: choice.name as string } } : TOOL_CHOICES[choice.type]
}

export function messagesToChatRequest(req: MessagesRequest): ChatCompletionRequest {
  if (req.max_tokens === 0) throw unsupported('max_tokens 0 (prompt cache warming)', 'max_tokens')
  const messages: ChatMessage[] = []
  const system = textOf(req.system as Block[] | string | undefined, 'system')
  if (system) messages.push({ role: 'system', content: system })
  req.messages.forEach((m, i) => {
    const where = `messages[${i}]`
    if (m.role === 'system') messages.push({ role: 'system', content: textOf(m.content as Block[] | string, `${where}.content`) })
    else if (m.role === 'assistant') messages.push(assistantMessage(m.content, where))
    else messages.push(...userMessages(m.content, where))
  })
  const { functions, webSearch } = tools(req)
  // Parsed so that the result holds the gateway's own invariants (e.g. at most 4 stop sequences).
  return ChatCompletionRequest.parse({
    model: req.model,
    messages,
    max_completion_tokens: req.max_tokens,
    stop: req.stop_sequences?.length ? req.stop_sequences : undefined,
    temperature: req.temperature,
    top_p: req.top_p,
    tools: functions,
    web_search_options: webSearch ? {} : undefined,
    tool_choice: functions ? toolChoice(req.tool_choice) : undefined,
    parallel_tool_calls: functions && req.tool_choice?.disable_parallel_tool_use ? false : undefined,
    reasoning_effort: reasoningEffort(req),
    stream: req.stream,
    // The usage chunk is what the Anthropic stream's final message_delta reports.
    stream_options: req.stream ? { include_usage: true } : undefined,
  })
}

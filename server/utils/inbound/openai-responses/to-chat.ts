// Responses API request → the gateway's OpenAI chat request, for models that are not OpenAI's (those
// get the request natively). Messages, function calls and their outputs become chat messages paired
// by call_id; function tools, tool_choice and text.format map to their chat counterparts; a namespace
// tool's functions become functions of flattened names (./namespaces.ts); the built-in web search
// becomes the chat form's `web_search_options`, which the gateway keeps only for a target that can
// search (gateway/fit-target.ts). What has no chat counterpart (other built-in tools, file ids) is a
// 400 naming it rather than lost; item references are replaced by the items they name before (from
// the store), and one left is unknown (400). Reasoning items the gateway wrote give their signed
// thinking blocks back to the assistant turn that follows them (`thinking_blocks`, which the Anthropic
// adapter puts first in that turn); others (an OpenAI model's, in a chain that changed provider) are
// dropped: only OpenAI could read them. reasoning.effort becomes reasoning_effort, and a summary asked
// for the reasoning text wanted back. Client metadata (metadata, user, safety_identifier,
// prompt_cache_key, client_metadata) is OpenAI's alone and is not sent on.
import { badRequest } from '../../core/errors'
import { ChatCompletionRequest, type ChatMessage } from '../../dialects/openai'
import type { ContentPart, ResponsesRequest } from '../../dialects/openai-responses'
import type { Item } from './items'
import { decodeThinking } from './reasoning'
import { flatName } from './namespaces'

const unsupported = (what: string, where: string) =>
  badRequest(`${what} can only be sent to OpenAI models.`, where, 'unsupported_parameter')

type ChatPart = Record<string, unknown>

function chatPart(p: ContentPart, where: string): ChatPart {
  switch (p.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: p.text }
    case 'refusal':
      return { type: 'text', text: p.refusal }
    case 'input_image':
      if (!p.image_url) throw unsupported('Images given by file_id', where)
      return { type: 'image_url', image_url: { url: p.image_url, ...(p.detail ? { detail: p.detail } : {}) } }
    case 'input_file':
      if (!p.file_data) throw unsupported('Files given by file_id or file_url', where)
      return { type: 'file', file: { file_data: p.file_data, ...(p.filename ? { filename: p.filename } : {}) } }
  }
}

function content(c: string | ContentPart[], where: string): string | ChatPart[] {
  if (typeof c === 'string') return c
  const parts = c.map((p, j) => chatPart(p, `${where}[${j}]`))
  return parts.every(p => p.type === 'text') ? parts.map(p => p.text).join('') : parts
}

const textOf = (c: string | ContentPart[], where: string) => {
  const out = content(c, where)
  if (typeof out !== 'string') throw unsupported('Function call outputs other than text', where)
  return out
}

/** The conversation's items as chat messages: consecutive assistant text and calls make one message. */
function messages(items: Item[]): ChatMessage[] {
  const out: ChatMessage[] = []
  let thinking: NonNullable<ChatMessage['thinking_blocks']> = []
  /** An assistant message takes the thinking blocks read since the last one. */
  const assistant = (m: ChatMessage) => {
    if (thinking.length) m.thinking_blocks = [...(m.thinking_blocks ?? []), ...thinking]
    thinking = []
    return m
  }
  items.forEach((raw, i) => {
    const item = raw as any
    const where = `input[${i}]`
    if (item.type === 'message') {
      const m: ChatMessage = { role: item.role, content: content(item.content, `${where}.content`) as ChatMessage['content'] }
      out.push(item.role === 'assistant' ? assistant(m) : m)
    }
    else if (item.type === 'function_call') {
      const last = out.at(-1)
      const call = { id: item.call_id, type: 'function' as const, function: { name: flatName(item), arguments: item.arguments } }
      if (last?.role === 'assistant') assistant(last).tool_calls = [...(last.tool_calls ?? []), call]
      else out.push(assistant({ role: 'assistant', content: null, tool_calls: [call] }))
    }
    else if (item.type === 'reasoning') {
      thinking.push(...decodeThinking(item.encrypted_content))
    }
    else if (item.type === 'function_call_output') {
      out.push({ role: 'tool', tool_call_id: item.call_id, content: textOf(item.output, `${where}.output`) })
    }
    else if (item.type === 'item_reference') {
      // Those the gateway keeps were replaced by their items before: this one is of no response of the key's.
      throw badRequest(`Item with id '${item.id}' not found.`, where, 'item_not_found')
    }
    else {
      throw unsupported(`Input items of type '${item.type}'`, where)
    }
  })
  return out
}

/** The web search tool under each of the names OpenAI has given it. */
const WEB_SEARCH = /^web_search(_preview)?(_\d{4}_\d{2}_\d{2})?$/

interface FunctionTool { name: string, description?: string | null, parameters?: Record<string, unknown> | null, strict?: boolean | null }

function chatFunction(t: FunctionTool, name = t.name) {
  return {
    type: 'function' as const,
    function: {
      name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.parameters ?? { type: 'object', properties: {} },
      ...(t.strict != null ? { strict: t.strict } : {}),
    },
  }
}

/** The request's tools as chat function tools, and whether it asked for web search. */
function tools(req: ResponsesRequest) {
  const functions: ReturnType<typeof chatFunction>[] = []
  let webSearch = false
  req.tools?.forEach((t: any, i) => {
    if (t.type === 'function') functions.push(chatFunction(t))
    else if (t.type === 'namespace') {
      ;(t.tools ?? []).forEach((f: any, j: number) => {
        if (f.type !== 'function') throw unsupported(`Tools of type '${f.type}' in a namespace`, `tools[${i}].tools[${j}]`)
        functions.push(chatFunction(f, flatName({ namespace: t.name, name: f.name })))
      })
    }
    else if (WEB_SEARCH.test(t.type)) webSearch = true
    else throw unsupported(`The built-in tool '${t.type}'`, `tools[${i}]`)
  })
  return { functions: functions.length ? functions : undefined, webSearch }
}

function toolChoice(choice: ResponsesRequest['tool_choice']) {
  if (choice === undefined || typeof choice === 'string') return choice
  if (choice.type === 'function') return { type: 'function' as const, function: { name: flatName(choice as { name: string, namespace?: string }) } }
  throw unsupported(`tool_choice of type '${choice.type}'`, 'tool_choice')
}

function responseFormat(format: NonNullable<ResponsesRequest['text']>['format']) {
  if (!format || format.type === 'text') return undefined
  if (format.type === 'json_object') return { type: 'json_object' as const }
  const f = format as { name: string, schema: Record<string, unknown>, description?: string, strict?: boolean | null }
  return { type: 'json_schema' as const, json_schema: { name: f.name, schema: f.schema, ...(f.description ? { description: f.description } : {}), ...(f.strict != null ? { strict: f.strict } : {}) } }
}

/** `items`: the whole conversation (previous turns rebuilt, then this request's input). */
export function responsesToChatRequest(req: ResponsesRequest, items: Item[]): ChatCompletionRequest {
  const chat = messages(items)
  if (req.instructions) chat.unshift({ role: 'system', content: req.instructions })
  if (!chat.length) throw badRequest('Missing required parameter: \'input\'.', 'input', 'missing_required_parameter')
  const { functions, webSearch } = tools(req)
  return ChatCompletionRequest.parse({
    model: req.model,
    messages: chat,
    max_completion_tokens: req.max_output_tokens ?? undefined,
    temperature: req.temperature ?? undefined,
    top_p: req.top_p ?? undefined,
    tools: functions,
    web_search_options: webSearch ? {} : undefined,
    tool_choice: toolChoice(req.tool_choice),
    parallel_tool_calls: req.parallel_tool_calls ?? undefined,
    response_format: responseFormat(req.text?.format),
    reasoning_effort: req.reasoning?.effort ?? undefined,
    include_reasoning: req.reasoning?.summary != null ? true : req.reasoning?.effort ? false : undefined,
    stream: req.stream ?? undefined,
    stream_options: req.stream ? { include_usage: true } : undefined,
  })
}

// Responses API request → the gateway's OpenAI chat request, for models that are not OpenAI's (those
// get the request natively). Messages, function calls and their outputs become chat messages paired
// by call_id; function tools, tool_choice and text.format map to their chat counterparts. What has no
// chat counterpart yet (built-in tools, file ids) is a 400 rather than lost; item references are
// replaced by the items they name before (from the store), and one left is unknown (400).
// Reasoning items are dropped: only the provider that wrote them could read them back.
import { badRequest } from '../../core/errors'
import { ChatCompletionRequest, type ChatMessage } from '../../dialects/openai'
import type { ContentPart, ResponsesRequest } from '../../dialects/openai-responses'
import type { Item } from './items'

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
  items.forEach((raw, i) => {
    const item = raw as any
    const where = `input[${i}]`
    if (item.type === 'message') {
      out.push({ role: item.role, content: content(item.content, `${where}.content`) as ChatMessage['content'] })
    }
    else if (item.type === 'function_call') {
      const last = out.at(-1)
      const call = { id: item.call_id, type: 'function' as const, function: { name: item.name, arguments: item.arguments } }
      if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call]
      else out.push({ role: 'assistant', content: null, tool_calls: [call] })
    }
    else if (item.type === 'function_call_output') {
      out.push({ role: 'tool', tool_call_id: item.call_id, content: textOf(item.output, `${where}.output`) })
    }
    else if (item.type === 'item_reference') {
      // Those the gateway keeps were replaced by their items before: this one is of no response of the key's.
      throw badRequest(`Item with id '${item.id}' not found.`, where, 'item_not_found')
    }
    else if (item.type !== 'reasoning') {
      throw unsupported(`Input items of type '${item.type}'`, where)
    }
  })
  return out
}

function tools(req: ResponsesRequest) {
  return req.tools?.map((t: any, i) => {
    if (t.type !== 'function') throw unsupported(`The built-in tool '${t.type}'`, `tools[${i}]`)
    return {
      type: 'function' as const,
      function: {
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        parameters: t.parameters ?? { type: 'object', properties: {} },
        ...(t.strict != null ? { strict: t.strict } : {}),
      },
    }
  })
}

function toolChoice(choice: ResponsesRequest['tool_choice']) {
  if (choice === undefined || typeof choice === 'string') return choice
  if (choice.type === 'function') return { type: 'function' as const, function: { name: choice.name as string } }
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
  return ChatCompletionRequest.parse({
    model: req.model,
    messages: chat,
    max_completion_tokens: req.max_output_tokens ?? undefined,
    temperature: req.temperature ?? undefined,
    top_p: req.top_p ?? undefined,
    tools: tools(req),
    tool_choice: toolChoice(req.tool_choice),
    parallel_tool_calls: req.parallel_tool_calls ?? undefined,
    response_format: responseFormat(req.text?.format),
    user: req.safety_identifier ?? req.user,
    stream: req.stream ?? undefined,
    stream_options: req.stream ? { include_usage: true } : undefined,
  })
}

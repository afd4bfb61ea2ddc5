// OpenAI messages → Gemini `systemInstruction` + `contents`. Gemini knows only `user` and `model`
// turns, wants them alternating, and names function results by function rather than by call id;
// requests Gemini could not take are refused here with a 400 that names the field.
import { badRequest } from '../../core/errors'
import type { ChatMessage } from '../../dialects/openai'
import { SKIP_SIGNATURE, signatureOf } from './tool-call-id'
import type { GeminiContent, GeminiPart } from './wire'

type ContentPart = Exclude<ChatMessage['content'], string | null | undefined>[number]

const DATA_URI = /^data:([^;,]+)(?:;[^;,]*)*;base64,(.*)$/s
const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif',
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function inlineData(uri: unknown, param: string): GeminiPart {
  const m = typeof uri === 'string' ? DATA_URI.exec(uri) : null
  if (!m) throw badRequest('Expected a base64 data: URI.', param)
  return { inlineData: { mimeType: m[1]!, data: m[2]! } }
}

function image(url: unknown, param: string): GeminiPart {
  if (typeof url !== 'string') throw badRequest('Expected an image URL.', param)
  if (url.startsWith('data:')) return inlineData(url, param)
  const ext = /\.(\w+)$/.exec(url.split(/[?#]/)[0]!)?.[1]?.toLowerCase()
  return { fileData: { mimeType: (ext && IMAGE_TYPES[ext]) || 'image/jpeg', fileUri: url } }
}

function contentPart(p: ContentPart, param: string): GeminiPart[] {
  switch (p.type) {
    case 'text':
      return typeof p.text === 'string' && p.text ? [{ text: p.text }] : []
    case 'image_url':
      return [image((p.image_url as { url?: unknown } | undefined)?.url, `${param}.image_url.url`)]
    case 'input_audio': {
      const audio = p.input_audio as { data?: unknown, format?: unknown } | undefined
      if (typeof audio?.data !== 'string' || typeof audio.format !== 'string') throw badRequest('Expected input_audio.data and input_audio.format.', `${param}.input_audio`)
      return [{ inlineData: { mimeType: `audio/${audio.format}`, data: audio.data } }]
    }
    case 'file':
      return [inlineData((p.file as { file_data?: unknown } | undefined)?.file_data, `${param}.file.file_data`)]
    case 'refusal':
      return []
    default:
      throw badRequest(`Content parts of type '${p.type}' are not supported for Gemini models.`, `${param}.type`)
  }
}

/** Gemini rejects empty text parts, so empty content yields no parts at all. */
function contentParts(content: ChatMessage['content'], param: string): GeminiPart[] {
  if (typeof content === 'string') return content ? [{ text: content }] : []
  return (content ?? []).flatMap((p, j) => contentPart(p, `${param}[${j}]`))
}

function plainText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content
  return (content ?? []).map(p => (typeof p.text === 'string' ? p.text : '')).join('')
}

function functionCall(name: string, args: string, signature: string | undefined, param: string): GeminiPart {
  let parsed: unknown = {}
  try {
    // Some clients send '' for a call without arguments.
    if (args.trim()) parsed = JSON.parse(args)
  }
  catch { /* reported below */ }
  if (!isObject(parsed)) throw badRequest('Tool call arguments must be a JSON object.', param)
  return { functionCall: { name, args: parsed }, ...(signature ? { thoughtSignature: signature } : {}) }
}

/** The functionCall parts of an assistant message, remembering each call's name by id for its result. */
function functionCalls(m: ChatMessage, param: string, names: Map<string, string>): GeminiPart[] {
  const parts = (m.tool_calls ?? []).map((call, j) => {
    names.set(call.id, call.function.name)
    // Gemini 3 checks the signature on the first function call of each model step only.
    const signature = signatureOf(call) ?? (j === 0 ? SKIP_SIGNATURE : undefined)
    return functionCall(call.function.name, call.function.arguments, signature, `${param}.tool_calls[${j}].function.arguments`)
  })
  // The legacy single `function_call` field.
  const legacy = m.function_call as { name?: unknown, arguments?: unknown } | undefined
  if (typeof legacy?.name === 'string') {
    parts.push(functionCall(legacy.name, typeof legacy.arguments === 'string' ? legacy.arguments : '', SKIP_SIGNATURE, `${param}.function_call.arguments`))
  }
  return parts
}

function functionResponse(m: ChatMessage, param: string, names: Map<string, string>): GeminiPart {
  const name = m.role === 'function' ? m.name : names.get(m.tool_call_id ?? '')
  if (!name) {
    throw badRequest(m.role === 'function'
      ? 'Function messages need a name.'
      : `No earlier assistant tool call has the id '${m.tool_call_id ?? ''}'.`, m.role === 'function' ? `${param}.name` : `${param}.tool_call_id`)
  }
  const text = plainText(m.content)
  let response: unknown
  try {
    response = JSON.parse(text)
  }
  catch { /* plain text result */ }
  return { functionResponse: { name, response: isObject(response) ? response : { result: text } } }
}

export function toGeminiContents(messages: ChatMessage[]): { systemInstruction?: { parts: GeminiPart[] }, contents: GeminiContent[] } {
  const system: GeminiPart[] = []
  const contents: GeminiContent[] = []
  const names = new Map<string, string>()
  // Consecutive turns of one role merge: Gemini wants user and model to alternate.
  const add = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (!parts.length) return
    const last = contents.at(-1)
    if (last?.role === role) last.parts.push(...parts)
    else contents.push({ role, parts })
  }
  messages.forEach((m, i) => {
    const param = `messages[${i}]`
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(...contentParts(m.content, `${param}.content`))
        break
      case 'user':
        add('user', contentParts(m.content, `${param}.content`))
        break
      case 'assistant':
        add('model', [...contentParts(m.content, `${param}.content`), ...functionCalls(m, param, names)])
        break
      case 'tool':
      case 'function':
        add('user', [functionResponse(m, param, names)])
        break
    }
  })
  return { ...(system.length ? { systemInstruction: { parts: system } } : {}), contents }
}

// Responses API items as the gateway keeps them: the input of a turn as a list of items (a string
// input is one user message), each with an id of OpenAI's form, and a stored chain flattened into
// the conversation it amounts to.
import { randomBytes } from 'node:crypto'
import type { InputItem, ResponsesRequest } from '../../dialects/openai-responses'

export type Item = Record<string, unknown>

/** An id of OpenAI's form: a type prefix and 48 hex digits. */
export const itemId = (prefix: string) => `${prefix}_${randomBytes(24).toString('hex')}`

const PREFIX: Record<string, string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', reasoning: 'rs' }

/** The request's input as items, each given an id when it came without one. */
export function inputItems(input: ResponsesRequest['input']): Item[] {
  if (input === undefined) return []
  const items: InputItem[] = typeof input === 'string' ? [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }] : input
  return items.map((item) => {
    const type = item.type ?? 'message'
    return { ...item, type, id: typeof item.id === 'string' && item.id ? item.id : itemId(PREFIX[type] ?? 'item') }
  })
}

/** Every item of a chain of turns (each turn's input, then its output), oldest first. */
export function conversationItems(chain: { input: Item[], response: { output?: Item[] } }[]): Item[] {
  return chain.flatMap(r => [...r.input, ...(r.response.output ?? [])])
}

const WITH_STATUS = new Set(['message', 'function_call', 'function_call_output'])

/**
 * An item (with its id) as a conversation keeps it, in the shape OpenAI lists conversation items:
 * a message's text content becomes its one part, and items that have a status are `completed`
 * unless they say otherwise.
 */
export function conversationEntry(item: Item): Item & { id: string } {
  const entry = { ...item } as Item & { id: string }
  if (entry.type === 'message' && typeof entry.content === 'string') {
    entry.content = [{ type: entry.role === 'assistant' ? 'output_text' : 'input_text', text: entry.content, ...(entry.role === 'assistant' ? { annotations: [] } : {}) }]
  }
  if (WITH_STATUS.has(String(entry.type)) && entry.status == null) entry.status = 'completed'
  return entry
}

/** A page of a cursor-paginated list of items, in OpenAI's list shape. */
export function listPage(items: Item[], query: { after?: string, limit: number, order: 'asc' | 'desc' }) {
  const ordered = query.order === 'asc' ? items : [...items].reverse()
  const from = query.after === undefined ? 0 : ordered.findIndex(item => item.id === query.after) + 1
  // A cursor that names no item of the list: nothing follows it.
  const data = from === 0 && query.after !== undefined ? [] : ordered.slice(from, from + query.limit)
  const hasMore = data.length > 0 && from + data.length < ordered.length
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore }
}

/** The id of the conversation a request names (`conversation` is an id or `{id}`). */
export const conversationIdOf = (req: Pick<ResponsesRequest, 'conversation'>): string | undefined =>
  (typeof req.conversation === 'string' ? req.conversation : req.conversation?.id)

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

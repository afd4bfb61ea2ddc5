// A stored response told again as the Responses stream that would have made it
// (GET /v1/responses/{id}?stream=true): created and in_progress, each output item added, its text or
// arguments (or a reasoning item's summary parts) in one delta and their .done events, the item
// done, then the terminal event. Events numbered up to `startingAfter` are left out, as OpenAI
// leaves them out. A background response that has not finished has only its first events so far,
// and no terminal one.
import type { Item } from './items'

type Stored = Record<string, any> & { output?: Item[] }

const TERMINAL: Record<string, string> = { completed: 'response.completed', incomplete: 'response.incomplete', failed: 'response.failed' }

export function replayEvents(response: Stored, startingAfter = -1): string {
  return streamOf(response).filter((_, seq) => seq > startingAfter).join('')
}

/** The sequence number of the last event the response's stream has so far. */
export const lastSequenceNumber = (response: Stored): number => streamOf(response).length - 1

function streamOf(response: Stored): string[] {
  const events: string[] = []
  const event = (type: string, data: object) => {
    events.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: events.length, ...data })}\n\n`)
  }
  const progress = { ...response, status: 'in_progress', output: [], usage: null }
  event('response.created', { response: progress })
  event('response.in_progress', { response: progress })
  ;(response.output ?? []).forEach((item: Record<string, any>, index) => {
    const at = { item_id: item.id, output_index: index }
    if (item.type === 'message') {
      event('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', content: [] } })
      ;(item.content ?? []).forEach((part: Record<string, any>, c: number) => {
        const where = { ...at, content_index: c }
        event('response.content_part.added', { ...where, part: { ...part, text: '' } })
        if (part.type === 'output_text') {
          event('response.output_text.delta', { ...where, delta: part.text, logprobs: [] })
          event('response.output_text.done', { ...where, text: part.text, logprobs: [] })
        }
        event('response.content_part.done', { ...where, part })
      })
    }
    else if (item.type === 'function_call') {
      event('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', arguments: '' } })
      event('response.function_call_arguments.delta', { ...at, delta: item.arguments })
      event('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.arguments })
    }
    else if (item.type === 'reasoning') {
      event('response.output_item.added', { output_index: index, item: { ...item, summary: [] } })
      ;(item.summary ?? []).forEach((part: Record<string, any>, s: number) => {
        const where = { ...at, summary_index: s }
        event('response.reasoning_summary_part.added', { ...where, part: { ...part, text: '' } })
        event('response.reasoning_summary_text.delta', { ...where, delta: part.text })
        event('response.reasoning_summary_text.done', { ...where, text: part.text })
        event('response.reasoning_summary_part.done', { ...where, part })
      })
    }
    else {
      event('response.output_item.added', { output_index: index, item })
    }
    event('response.output_item.done', { output_index: index, item })
  })
  const terminal = TERMINAL[response.status]
  if (terminal) event(terminal, { response })
  return events
}

// OpenAI models get Responses API requests natively, with every field as the client sent it: only
// the model name changes, the completion cap when the call's differs from the client's, and, when
// the previous response is one OpenAI does not hold, the conversation rebuilt from the gateway's
// store in place of previous_response_id. The answer goes back as received, read for usage and kept.
import { fromResponsesUsage, openaiServedTier } from '../../providers/openai/usage'
import type { ResponsesRequest } from '../../dialects/openai-responses'
import { openaiApi } from '../../providers/openai/api'
import { jsonPost, type RawRequestText, type SseEvent, type UpstreamRequest, type UpstreamTarget } from '../../providers/types'
import type { TokenUsage } from '../../registry/cost'
import type { Item } from './items'

export interface NativeCall {
  maxOutputTokens?: number
  raw?: RawRequestText
  /** The earlier turns to send as input (the previous response is not OpenAI's to look up). */
  history?: Item[]
}

/**
 * Items sent back to OpenAI without the ids the gateway gave them (OpenAI would look them up); a
 * reasoning item keeps its id, as only OpenAI writes those and it wants them whole.
 */
const withoutId = ({ id, ...item }: Item) => (item.type === 'reasoning' ? { id, ...item } : item)

export function nativeResponsesRequest(req: ResponsesRequest, target: UpstreamTarget, { maxOutputTokens, raw, history }: NativeCall): UpstreamRequest {
  const endpoint = openaiApi.responses!(target)
  const cap = maxOutputTokens !== (req.max_output_tokens ?? undefined) ? maxOutputTokens : undefined
  if (raw !== undefined && req.model === target.model && cap === undefined && !history) return jsonPost(endpoint, raw)
  const body: Record<string, unknown> = { ...req, model: target.model }
  if (cap !== undefined) body.max_output_tokens = cap
  if (history) {
    const current = typeof req.input === 'string' ? [{ role: 'user', content: req.input }] : (req.input ?? [])
    body.input = [...history, ...current as Item[]].map(withoutId)
    delete body.previous_response_id
  }
  return jsonPost(endpoint, JSON.stringify(body))
}

export const nativeResponseUsage = (response: { usage?: unknown, service_tier?: unknown }): TokenUsage =>
  fromResponsesUsage(response.usage as never, openaiServedTier(response.service_tier))

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/**
 * Follows a native stream: the response as created (for a failure event of the gateway's own), the
 * last sequence number, and the terminal event, which is held back until the response is stored.
 */
export function nativeStreamTracker() {
  let created: Record<string, unknown> | undefined
  let lastData = ''
  let terminal: { text: string, response: Record<string, any> } | undefined
  return {
    /** The event's text to send now ('' for the held terminal event). */
    push(e: SseEvent): string {
      const text = `event: ${e.event}\ndata: ${e.data}\n\n`
      lastData = e.data
      if (e.event === 'response.created') created = JSON.parse(e.data).response
      else if (e.event && TERMINAL.has(e.event)) {
        terminal = { text, response: JSON.parse(e.data).response }
        return ''
      }
      return text
    },
    terminal: () => terminal,
    usage: (): TokenUsage | undefined => (terminal ? nativeResponseUsage(terminal.response) : undefined),
    /** A failure of the gateway's after the first byte, as the response.failed event that follows the last one. */
    failed(code: string | null, message: string): string {
      const seq = Number(/"sequence_number"\s*:\s*(\d+)/.exec(lastData)?.[1] ?? -1) + 1
      const data = { type: 'response.failed', sequence_number: seq, response: { ...created, status: 'failed', error: { code: code ?? 'server_error', message } } }
      return `event: response.failed\ndata: ${JSON.stringify(data)}\n\n`
    },
  }
}

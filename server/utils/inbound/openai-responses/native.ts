// OpenAI models get Responses API requests natively, with every field as the client sent it: only
// the model name changes, the completion cap when the call's differs from the client's, `include`
// without the items the model cannot produce (OpenAI refuses those with a 400), and, when
// the previous response is one OpenAI does not hold or the request names a conversation (OpenAI
// does not know the gateway's), the conversation rebuilt from the gateway's store in place of
// previous_response_id or conversation (without the reasoning items the gateway wrote for Claude or
// Gemini, which OpenAI cannot read). The answer goes back as received (with the conversation's id,
// when it is in one), read for usage and kept.
import { fromResponsesUsage, openaiServedTier } from '../../providers/openai/usage'
import type { ResponsesRequest } from '../../dialects/openai-responses'
import { openaiApi } from '../../providers/openai/api'
import { jsonPost, type RawRequestText, type SseEvent, type UpstreamRequest, type UpstreamTarget } from '../../providers/types'
import type { TokenUsage } from '../../registry/cost'
import type { Item } from './items'
import { isGatewayReasoning } from './reasoning'

export interface NativeCall {
  maxOutputTokens?: number
  /** `include` as the model takes it, when that differs from the client's. */
  include?: string[]
  raw?: RawRequestText
  /** The earlier turns to send as input (the previous response or the conversation is not OpenAI's to look up). */
  history?: Item[]
}

/**
 * Items sent back to OpenAI without the ids the gateway gave them (OpenAI would look them up); a
 * reasoning item keeps its id, as only OpenAI writes those and it wants them whole.
 */
const withoutId = ({ id, ...item }: Item) => (item.type === 'reasoning' ? { id, ...item } : item)

/** The body sent to OpenAI: the client's own text when nothing in it changes. */
function nativeBody(req: ResponsesRequest, target: UpstreamTarget, { maxOutputTokens, include, raw, history }: NativeCall): string {
  const cap = maxOutputTokens !== (req.max_output_tokens ?? undefined) ? maxOutputTokens : undefined
  if (raw !== undefined && req.model === target.model && cap === undefined && !include && !history) return raw
  const body: Record<string, unknown> = { ...req, model: target.model }
  if (cap !== undefined) body.max_output_tokens = cap
  if (include) body.include = include
  if (history) {
    const current = typeof req.input === 'string' ? [{ role: 'user', content: req.input }] : (req.input ?? [])
    body.input = [...history, ...current as Item[]].filter(item => !isGatewayReasoning(item)).map(withoutId)
    delete body.previous_response_id
    delete body.conversation
  }
  return JSON.stringify(body)
}

export const nativeResponsesRequest = (req: ResponsesRequest, target: UpstreamTarget, call: NativeCall): UpstreamRequest =>
  jsonPost(openaiApi.responses!(target), nativeBody(req, target, call))

/** POST /v1/responses/input_tokens at OpenAI: the same body, counted there. */
export const nativeInputTokensRequest = (req: ResponsesRequest, target: UpstreamTarget, call: Omit<NativeCall, 'maxOutputTokens'>): UpstreamRequest =>
  jsonPost(openaiApi.countTokens!(target, target.model), nativeBody(req, target, call))

export const nativeResponseUsage = (response: { usage?: unknown, service_tier?: unknown }): TokenUsage =>
  fromResponsesUsage(response.usage as never, openaiServedTier(response.service_tier))

/** How a request that ended in a failed response is logged: its status and error code. */
export interface AnswerFailure {
  status: number
  code: string
}

/** Error codes of failed responses that are not the provider's fault, logged as 4xx; the rest as 500. */
const CLIENT_SIDE = /^(invalid_|image_|empty_image|unsupported_image|failed_to_download_image)|_policy/

/** A response OpenAI reports as failed (in a 200 body or a response.failed event) as the failure it is logged with. */
export function responseFailure(response: { status?: unknown, error?: { code?: unknown } | null }): AnswerFailure | undefined {
  if (response.status !== 'failed') return undefined
  const code = typeof response.error?.code === 'string' ? response.error.code : 'server_error'
  return { status: code === 'rate_limit_exceeded' ? 429 : CLIENT_SIDE.test(code) ? 400 : 500, code }
}

/** A native response object's usage, and the failure it reports if it failed. */
export function nativeAnswerOutcome(response: Record<string, any>): { usage: TokenUsage, failure?: AnswerFailure } {
  return { usage: nativeResponseUsage(response), failure: responseFailure(response) }
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/** The fields the gateway adds to OpenAI's response object (the conversation it belongs to). */
export type ResponseTag = Record<string, unknown> | undefined

/** OpenAI's response object with the gateway's fields. */
export const taggedResponse = <T extends Record<string, unknown>>(response: T, tag: ResponseTag): T => (tag ? { ...response, ...tag } : response)

/** Events that carry the response object: the gateway's fields are added to it. */
const WITH_RESPONSE = new Set(['response.created', 'response.in_progress', 'response.queued', ...TERMINAL])

/**
 * Follows a native stream: the response as created (for a failure event of the gateway's own), the
 * last sequence number, and the terminal event, which is held back until the response is stored.
 * With a tag, the response object of each event that carries one gets it.
 */
export function nativeStreamTracker(tag?: ResponseTag) {
  let created: Record<string, unknown> | undefined
  let lastData = ''
  let terminal: { text: string, response: Record<string, any> } | undefined
  return {
    /** The event's text to send now ('' for the held terminal event). */
    push(e: SseEvent): string {
      let data = e.data
      const carries = e.event !== undefined && WITH_RESPONSE.has(e.event)
      const parsed = carries ? JSON.parse(data) : undefined
      if (parsed && tag) {
        parsed.response = taggedResponse(parsed.response, tag)
        data = JSON.stringify(parsed)
      }
      const text = `event: ${e.event}\ndata: ${data}\n\n`
      lastData = data
      if (e.event === 'response.created') created = parsed?.response
      else if (e.event && TERMINAL.has(e.event)) {
        terminal = { text, response: parsed?.response }
        return ''
      }
      return text
    },
    terminal: () => terminal,
    usage: (): TokenUsage | undefined => (terminal ? nativeResponseUsage(terminal.response) : undefined),
    /** The stream ended in response.failed: how the request is logged. */
    failure: (): AnswerFailure | undefined => (terminal ? responseFailure(terminal.response) : undefined),
    /** A failure of the gateway's after the first byte, as the response.failed event that follows the last one. */
    failed(code: string | null, message: string): string {
      const seq = Number(/"sequence_number"\s*:\s*(\d+)/.exec(lastData)?.[1] ?? -1) + 1
      const data = { type: 'response.failed', sequence_number: seq, response: { ...created, status: 'failed', error: { code: code ?? 'server_error', message } } }
      return `event: response.failed\ndata: ${JSON.stringify(data)}\n\n`
    },
  }
}

// What a client receives for each upstream stream event, in the client's own dialect: OpenAI chunks
// (`data: …` then `[DONE]`), Anthropic events translated from OpenAI chunks, or Anthropic's own
// events passed through. Each also says how a failure after the first byte is told to the client
// so that its SDK raises it.
import { anthropicErrorType } from '../inbound/anthropic/errors'
import { nativeStreamUsage } from '../inbound/anthropic/native'
import { createMessagesStreamWriter, errorEvent } from '../inbound/anthropic/stream'
import type { ResponseShell } from '../inbound/openai-responses/from-chat'
import { type AnswerFailure, nativeStreamTracker, type ResponseTag } from '../inbound/openai-responses/native'
import { createResponsesStreamWriter } from '../inbound/openai-responses/stream'
import { anthropicStreamError } from '../providers/anthropic/error'
import type { ChatStreamTranslator, SseEvent } from '../providers/types'
import { StreamFailure } from '../providers/types'
import type { TokenUsage } from '../registry/cost'
import { GatewayError } from '../core/errors'

export interface StreamOutput {
  /** One upstream event → the text to write (may be empty). */
  event(e: SseEvent): string
  /** The upstream ended normally → the closing text (Responses streams first store the response). */
  end(): string | Promise<string>
  /** A failure after the stream started → an event the client's SDK raises. */
  error(err: GatewayError): string
  usage(): TokenUsage | undefined
  /** The stream ended normally but told of a failure (OpenAI's response.failed): how it is logged. */
  failure?(): AnswerFailure | undefined
}

const dataLine = (payload: string) => `data: ${payload}\n\n`

export function openaiChunks(translator: ChatStreamTranslator): StreamOutput {
  return {
    event: e => translator.push(e).map(dataLine).join(''),
    end: () => `${translator.end().map(dataLine).join('')}data: [DONE]\n\n`,
    error: err => dataLine(JSON.stringify(err)),
    usage: () => translator.usage(),
  }
}

const anthropicError = (err: GatewayError) => errorEvent(anthropicErrorType(err.status, err.type), err.message)

/** A non-Claude model's stream, told to an Anthropic client as Anthropic events. */
export function anthropicFromChunks(translator: ChatStreamTranslator, opts: { id: string, model: string, provider: string }): StreamOutput {
  const writer = createMessagesStreamWriter(opts)
  return {
    event: e => translator.push(e).map(p => writer.push(p)).join(''),
    end: () => translator.end().map(p => writer.push(p)).join('') + writer.end(translator.usage()),
    error: anthropicError,
    usage: () => translator.usage(),
  }
}

/** A Claude stream passed through to an Anthropic client event by event, read only for usage. */
export function anthropicNative(): StreamOutput {
  const tracker = nativeStreamUsage()
  return {
    event(e) {
      if (e.event === 'error') throw new StreamFailure(anthropicStreamError(e.data))
      tracker.push(e)
      return `event: ${e.event}\ndata: ${e.data}\n\n`
    },
    end: () => '',
    error: anthropicError,
    usage: () => tracker.usage(),
  }
}

/** Keeps a finished response (when the client asked to store it) before its terminal event leaves. */
export type KeepResponse = (response: Record<string, any>) => Promise<void>

/** A non-OpenAI model's stream, told to a Responses API client as Responses events. */
export function responsesFromChunks(translator: ChatStreamTranslator, shell: ResponseShell, keep: KeepResponse): StreamOutput {
  const writer = createResponsesStreamWriter(shell)
  return {
    event: e => translator.push(e).map(p => writer.push(p)).join(''),
    async end() {
      const last = translator.end().map(p => writer.push(p)).join('')
      const { head, response, terminal } = writer.finish(translator.usage())
      await keep(response)
      return last + head + terminal()
    },
    error: err => writer.failed(err.code, err.message),
    usage: () => translator.usage(),
  }
}

/**
 * An OpenAI Responses stream passed through event by event (its response objects tagged with the
 * gateway's fields); its terminal event waits for the response to be kept.
 */
export function responsesNative(keep: KeepResponse, tag?: ResponseTag): StreamOutput {
  const tracker = nativeStreamTracker(tag)
  return {
    event: e => tracker.push(e),
    async end() {
      const terminal = tracker.terminal()
      if (!terminal) throw new GatewayError(502, 'The provider\'s stream ended before the response was complete.', 'upstream_error', 'upstream_error')
      await keep(terminal.response)
      return terminal.text
    },
    error: err => tracker.failed(err.code, err.message),
    usage: () => tracker.usage(),
    failure: () => tracker.failure(),
  }
}

// What a client receives for each upstream stream event, in the client's own dialect: OpenAI chunks
// (`data: …` then `[DONE]`), Anthropic events translated from OpenAI chunks, or Anthropic's own
// events passed through. Each also says how a failure after the first byte is told to the client
// so that its SDK raises it.
import { anthropicErrorType } from '../inbound/anthropic/errors'
import { nativeStreamUsage } from '../inbound/anthropic/native'
import { createMessagesStreamWriter, errorEvent } from '../inbound/anthropic/stream'
import { anthropicStreamError } from '../providers/anthropic/error'
import type { ChatStreamTranslator, SseEvent } from '../providers/types'
import { StreamFailure } from '../providers/types'
import type { TokenUsage } from '../registry/cost'
import type { GatewayError } from '../core/errors'

export interface StreamOutput {
  /** One upstream event → the text to write (may be empty). */
  event(e: SseEvent): string
  /** The upstream ended normally → the closing text. */
  end(): string
  /** A failure after the stream started → an event the client's SDK raises. */
  error(err: GatewayError): string
  usage(): TokenUsage | undefined
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
export function anthropicFromChunks(translator: ChatStreamTranslator, opts: { id: string, model: string }): StreamOutput {
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

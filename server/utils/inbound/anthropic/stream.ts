// OpenAI chat.completion.chunk payloads → Anthropic Messages SSE, for streams of models that are not
// Claude. Anthropic streams content as numbered blocks opened and closed one at a time: text runs
// become text blocks, each tool call a tool_use block whose argument fragments are input_json_delta,
// reasoning text a thinking block of thinking_delta events closed by a signature_delta carrying the
// gateway's marker (./thinking.ts).
// The final message_delta waits for the usage chunk (which follows OpenAI's finish chunk), or end().
import { type ToolCallDelta, visitChoice } from '../../providers/openai/chunk'
import { fromOpenAIUsage } from '../../providers/openai/usage'
import { type TokenUsage, ZERO_USAGE } from '../../registry/cost'
import { anthropicErrorType } from './errors'
import { anthropicUsage, stopReasonFor } from './from-openai'
import type { AnthropicStopReason } from '../../dialects/anthropic'
import { gatewayThinkingSignature } from './thinking'

const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`

export const errorEvent = (type: string, message: string) => event('error', { error: { type, message } })

/** `provider`: the target that answers, named in a thinking block's signature marker. */
export function createMessagesStreamWriter(opts: { id: string, model: string, provider?: string }) {
  let started = false
  let stopped = false
  let open: { index: number, kind: 'text' | 'tool_use' | 'thinking' } | undefined
  let nextIndex = 0
  /** OpenAI tool call index → Anthropic block index. */
  const toolBlocks = new Map<number, number>()
  let stopReason: AnthropicStopReason | undefined
  let usage: TokenUsage | undefined

  function start(): string {
    if (started) return ''
    started = true
    return event('message_start', {
      message: { id: opts.id, type: 'message', role: 'assistant', model: opts.model, content: [], stop_reason: null, stop_sequence: null, usage: anthropicUsage(usage ?? ZERO_USAGE) },
    })
  }

  function close(): string {
    if (!open) return ''
    const signature = open.kind === 'thinking'
      ? event('content_block_delta', { index: open.index, delta: { type: 'signature_delta', signature: gatewayThinkingSignature(opts.provider ?? 'gateway') } })
      : ''
    const out = signature + event('content_block_stop', { index: open.index })
    open = undefined
    return out
  }

  function openBlock(kind: 'text' | 'tool_use' | 'thinking', block: object): string {
    const out = close()
    open = { index: nextIndex++, kind }
    return out + event('content_block_start', { index: open.index, content_block: block })
  }

  function text(t: string): string {
    const out = open?.kind === 'text' ? '' : openBlock('text', { type: 'text', text: '' })
    return out + event('content_block_delta', { index: open!.index, delta: { type: 'text_delta', text: t } })
  }

  function reasoning(t: string): string {
    const out = open?.kind === 'thinking' ? '' : openBlock('thinking', { type: 'thinking', thinking: '', signature: '' })
    return out + event('content_block_delta', { index: open!.index, delta: { type: 'thinking_delta', thinking: t } })
  }

  function toolCall(call: ToolCallDelta): string {
    const key = call.index ?? 0
    let out = ''
    // The index, not the id, tells a new call: some servers repeat the id on every fragment.
    if (!toolBlocks.has(key)) {
      out = openBlock('tool_use', { type: 'tool_use', id: call.id, name: call.function?.name, input: {} })
      toolBlocks.set(key, open!.index)
    }
    const args = call.function?.arguments
    return args ? out + event('content_block_delta', { index: toolBlocks.get(key), delta: { type: 'input_json_delta', partial_json: args } }) : out
  }

  function finish(): string {
    stopped = true
    return close()
      + event('message_delta', { delta: { stop_reason: stopReason ?? 'end_turn', stop_sequence: null }, usage: anthropicUsage(usage ?? ZERO_USAGE) })
      + event('message_stop', {})
  }

  return {
    /** One OpenAI chunk payload (the JSON after `data: `) → the Anthropic SSE text to send. */
    push(chunkJson: string): string {
      if (stopped) return ''
      const chunk = JSON.parse(chunkJson)
      if (chunk.error) {
        stopped = true
        return errorEvent(anthropicErrorType(undefined, chunk.error.type), String(chunk.error.message ?? 'The upstream stream failed.'))
      }
      let out = start()
      if (chunk.usage) usage = fromOpenAIUsage(chunk.usage)
      out += visitChoice(chunk, { reasoning, text, toolCall, finish: (reason) => {
        stopReason = stopReasonFor(reason)
        return close()
      } })
      return stopReason && usage ? out + finish() : out
    },
    /** The upstream stream ended: closes what is open. `usage` (the gateway's metered usage) wins over any seen. */
    end(finalUsage?: TokenUsage): string {
      if (stopped) return ''
      if (finalUsage) usage = finalUsage
      return start() + finish()
    },
  }
}

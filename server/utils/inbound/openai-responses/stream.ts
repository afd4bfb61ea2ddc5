// OpenAI chat.completion.chunk payloads → Responses API stream events, for streams of models that are
// not OpenAI's, in OpenAI's order and numbered by sequence_number: response.created and
// .in_progress, then per output item output_item.added, its content part or argument deltas and
// their .done events, output_item.done; the terminal event (response.completed or .incomplete, with
// usage) is made by finish() once the usage is known. A text run is one message item, each tool
// call one function_call item, a run of reasoning one reasoning item (its summary part and text
// deltas when a summary was asked for, its signed thinking blocks in encrypted_content when it
// closes); an item is closed when the next one opens.
import { type ToolCallDelta, visitChoice } from '../../providers/openai/chunk'
import { fromOpenAIUsage } from '../../providers/openai/usage'
import type { TokenUsage } from '../../registry/cost'
import { endState, functionCallItem, messageItem, outputText, type ResponseShell, responseObject } from './from-chat'
import type { ThinkingBlock } from '../../dialects/openai'
import { type Item, itemId } from './items'
import { callName, type CallName, namespacedNames } from './namespaces'
import { reasoningItem, summaryText, summaryWanted } from './reasoning'

interface OpenItem {
  kind: 'text' | 'call' | 'reasoning'
  id: string
  index: number
  text: string
  callId?: string
  name?: CallName
  toolIndex?: number
  /** A reasoning item's summary part was announced. */
  summaryPart?: boolean
  blocks?: ThinkingBlock[]
}

export function createResponsesStreamWriter(shell: ResponseShell) {
  let seq = 0
  let started = false
  let open: OpenItem | undefined
  const output: Item[] = []
  let finishReason: string | null | undefined
  let usage: TokenUsage | undefined
  const showSummary = summaryWanted(shell.req)
  /** How many of the answer's signed thinking blocks earlier reasoning items took. */
  let blocksTaken = 0
  const names = namespacedNames(shell.req.tools)

  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`

  function start(): string {
    if (started) return ''
    started = true
    const response = responseObject(shell, 'in_progress', [])
    return event('response.created', { response }) + event('response.in_progress', { response })
  }

  function close(): string {
    if (!open) return ''
    const o = open
    open = undefined
    const at = { item_id: o.id, output_index: o.index }
    let out: string
    let item: Item
    if (o.kind === 'text') {
      item = messageItem(o.id, o.text)
      out = event('response.output_text.done', { ...at, content_index: 0, text: o.text, logprobs: [] })
        + event('response.content_part.done', { ...at, content_index: 0, part: outputText(o.text) })
    }
    else if (o.kind === 'reasoning') {
      item = reasoningItem(o.id, o.text, o.blocks ?? [])
      out = o.summaryPart
        ? event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: o.text })
          + event('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: summaryText(o.text) })
        : ''
    }
    else {
      item = functionCallItem(o.id, o.callId!, o.name!, o.text)
      out = event('response.function_call_arguments.done', { ...at, name: o.name!.name, arguments: o.text })
    }
    output.push(item)
    return out + event('response.output_item.done', { output_index: o.index, item })
  }

  function text(t: string): string {
    if (open?.kind === 'text') {
      open.text += t
      return event('response.output_text.delta', { item_id: open.id, output_index: open.index, content_index: 0, delta: t, logprobs: [] })
    }
    let out = close()
    open = { kind: 'text', id: itemId('msg'), index: output.length, text: '' }
    out += event('response.output_item.added', { output_index: open.index, item: messageItem(open.id, '', 'in_progress') })
      + event('response.content_part.added', { item_id: open.id, output_index: open.index, content_index: 0, part: outputText('') })
    return out + text(t)
  }

  /** The open reasoning item, opened after closing any other. */
  function reasoningOpen(): { out: string, open: OpenItem } {
    if (open?.kind === 'reasoning') return { out: '', open }
    const out = close()
    const o: OpenItem = { kind: 'reasoning', id: itemId('rs'), index: output.length, text: '' }
    open = o
    return { out: out + event('response.output_item.added', { output_index: o.index, item: reasoningItem(o.id, '', []) }), open: o }
  }

  function reasoning(t: string): string {
    if (!showSummary) return ''
    const { out, open: o } = reasoningOpen()
    const at = { item_id: o.id, output_index: o.index, summary_index: 0 }
    const part = o.summaryPart ? '' : event('response.reasoning_summary_part.added', { ...at, part: summaryText('') })
    o.summaryPart = true
    o.text += t
    return out + part + event('response.reasoning_summary_text.delta', { ...at, delta: t })
  }

  function thinkingBlocks(blocks: ThinkingBlock[]): string {
    const fresh = blocks.slice(blocksTaken)
    if (!fresh.length) return ''
    blocksTaken = blocks.length
    const { out, open: o } = reasoningOpen()
    o.blocks = [...(o.blocks ?? []), ...fresh]
    return out
  }

  function toolCall(call: ToolCallDelta): string {
    let out = ''
    // The index, not the id, tells a new call: some servers repeat the id on every fragment.
    if (open?.kind !== 'call' || open.toolIndex !== (call.index ?? 0)) {
      out = close()
      open = { kind: 'call', id: itemId('fc'), index: output.length, text: '', callId: call.id ?? itemId('call'), name: callName(call.function?.name ?? '', names), toolIndex: call.index ?? 0 }
      out += event('response.output_item.added', { output_index: open.index, item: functionCallItem(open.id, open.callId!, open.name!, '', 'in_progress') })
    }
    const args = call.function?.arguments
    if (!args) return out
    open!.text += args
    return out + event('response.function_call_arguments.delta', { item_id: open!.id, output_index: open!.index, delta: args })
  }

  return {
    /** One OpenAI chunk payload (the JSON after `data: `) → the events to send. */
    push(chunkJson: string): string {
      const chunk = JSON.parse(chunkJson)
      let out = start()
      if (chunk.usage) usage = fromOpenAIUsage(chunk.usage)
      return out + visitChoice(chunk, { reasoning, thinkingBlocks, text, toolCall, finish: (reason) => {
        finishReason = reason
        return close()
      } })
    },
    /**
     * The upstream ended: the open item closed and the final response object, which `finalUsage`
     * (the gateway's metered usage) completes; `terminal()` then gives its event.
     */
    finish(finalUsage: TokenUsage | undefined) {
      const head = start() + close()
      const { status, extra } = endState(finishReason)
      const response = responseObject(shell, status, output, finalUsage ?? usage, extra)
      return { head, response, terminal: () => event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response }) }
    },
    /** A failure after the stream started: the response.failed event. */
    failed(code: string | null, message: string): string {
      return start() + event('response.failed', { response: responseObject(shell, 'failed', output, usage, { error: { code: code ?? 'server_error', message } }) })
    },
  }
}

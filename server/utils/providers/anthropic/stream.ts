// Anthropic Messages stream events → OpenAI chat.completion.chunk payloads.
// Anthropic numbers content blocks (text, thinking and tool_use alike); OpenAI numbers tool calls
// among themselves, so each tool_use block gets the next tool call index. A response_format tool's
// input fragments are the answer: they stream as content. Thinking streams as `reasoning_content`;
// when a thinking block ends (its signature known), a `thinking_blocks` delta holds every signed
// block so far, so a client that keeps the last value of the field has them all.
import type { ThinkingBlock } from '../../dialects/openai'
import type { ChatStreamOptions, ChatStreamTranslator, SseEvent, UpstreamTarget } from '../types'
import { StreamFailure } from '../types'
import { anthropicStreamError } from './error'
import { JSON_TOOL } from './request'
import { finishReason } from './response'
import { toOpenAIUsage } from '../openai/usage'
import { streamUsageTracker } from './usage'

export function chatStream(target: UpstreamTarget, opts: ChatStreamOptions): ChatStreamTranslator {
  let model = target.model
  const usage = streamUsageTracker()
  /** Anthropic block index → OpenAI tool call index. */
  const toolIndex = new Map<number, number>()
  const jsonBlocks = new Set<number>()
  /** Signed thinking blocks: finished ones, and the one being streamed by its block index. */
  const signed: ThinkingBlock[] = []
  const thinking = new Map<number, ThinkingBlock>()
  let stopReason: string | null = null
  let finished = false

  const chunk = (choices: unknown[], extra: object = {}) =>
    JSON.stringify({ id: opts.id, object: 'chat.completion.chunk', created: opts.created, model, choices, ...extra })
  const delta = (d: object) => [chunk([{ index: 0, delta: d, logprobs: null, finish_reason: null }])]

  function finish(): string[] {
    if (finished) return []
    finished = true
    const out = [chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason(stopReason, toolIndex.size > 0) }])]
    const u = usage.usage()
    if (opts.includeUsage && u) out.push(chunk([], { usage: toOpenAIUsage(u) }))
    return out
  }

  function blockStart(index: number, block: { type: string, text?: string, id?: string, name?: string, data?: string }): string[] {
    if (block.type === 'text') return block.text ? delta({ content: block.text }) : []
    if (block.type === 'thinking') thinking.set(index, { type: 'thinking', thinking: '', signature: '' })
    if (block.type === 'redacted_thinking') thinking.set(index, { type: 'redacted_thinking', data: block.data ?? '' })
    if (block.type !== 'tool_use') return [] // thinking arrives as deltas; server tool blocks are not shown
    if (block.name === JSON_TOOL) {
      jsonBlocks.add(index)
      return []
    }
    const i = toolIndex.size
    toolIndex.set(index, i)
    return delta({ tool_calls: [{ index: i, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }] })
  }

  function blockDelta(index: number, d: { type: string, text?: string, thinking?: string, signature?: string, partial_json?: string }): string[] {
    const block = thinking.get(index)
    if (d.type === 'text_delta' && d.text) return delta({ content: d.text })
    if (d.type === 'thinking_delta' && d.thinking) {
      if (block?.type === 'thinking') block.thinking += d.thinking
      return delta({ reasoning_content: d.thinking })
    }
    if (d.type === 'signature_delta' && block?.type === 'thinking') block.signature += d.signature ?? ''
    if (d.type !== 'input_json_delta' || !d.partial_json) return [] // citation deltas have no OpenAI form
    if (jsonBlocks.has(index)) return delta({ content: d.partial_json })
    const i = toolIndex.get(index)
    return i === undefined ? [] : delta({ tool_calls: [{ index: i, function: { arguments: d.partial_json } }] })
  }

  return {
    push({ data }: SseEvent) {
      const e = JSON.parse(data)
      switch (e.type) {
        case 'message_start':
          model = e.message?.model ?? model
          usage.add(e.message?.usage)
          return delta({ role: 'assistant', content: '' })
        case 'content_block_start':
          return blockStart(e.index, e.content_block ?? {})
        case 'content_block_delta':
          return blockDelta(e.index, e.delta ?? {})
        case 'content_block_stop': {
          const block = thinking.get(e.index)
          if (!block) return []
          thinking.delete(e.index)
          signed.push(block)
          return delta({ thinking_blocks: [...signed] })
        }
        case 'message_delta':
          stopReason = e.delta?.stop_reason ?? stopReason
          usage.add(e.usage)
          return []
        case 'message_stop':
          return finish()
        case 'error':
          throw new StreamFailure(anthropicStreamError(data))
        default: // ping, event types added later
          return []
      }
    },
    // A stream cut after message_delta still says how it ended; one cut earlier gets no finish chunk.
    end: () => (stopReason === null ? [] : finish()),
    usage: () => usage.usage(),
  }
}

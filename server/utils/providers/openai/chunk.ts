// Reading one OpenAI chat.completion.chunk's first choice, for the writers that retell a chat stream
// in another dialect (Anthropic events, Responses events): its reasoning text and signed thinking
// blocks (the non-standard fields the gateway's adapters add), its text, its tool call fragments and
// its finish reason, in that order, each handed to the writer, whose outputs are joined.
import type { ThinkingBlock } from '../../dialects/openai'

export interface ToolCallDelta { index?: number, id?: string, function?: { name?: string, arguments?: string } }

export interface ChunkVisitor {
  reasoning?(t: string): string
  /** Every signed thinking block of the answer so far (the field holds the running list). */
  thinkingBlocks?(blocks: ThinkingBlock[]): string
  text(t: string): string
  toolCall(call: ToolCallDelta): string
  finish(reason: string): string
}

export function visitChoice(chunk: { choices?: any[] }, v: ChunkVisitor): string {
  const choice = chunk.choices?.[0]
  if (!choice) return ''
  const delta = choice.delta ?? {}
  let out = ''
  if (v.reasoning && typeof delta.reasoning_content === 'string' && delta.reasoning_content) out += v.reasoning(delta.reasoning_content)
  if (v.thinkingBlocks && Array.isArray(delta.thinking_blocks)) out += v.thinkingBlocks(delta.thinking_blocks)
  if (typeof delta.content === 'string' && delta.content) out += v.text(delta.content)
  for (const call of (delta.tool_calls ?? []) as ToolCallDelta[]) out += v.toolCall(call)
  if (choice.finish_reason) out += v.finish(choice.finish_reason)
  return out
}

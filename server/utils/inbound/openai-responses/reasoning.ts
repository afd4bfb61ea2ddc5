// Reasoning items for models that are not OpenAI's. The summary is the model's thinking text (shown
// when the request asked for a summary, as OpenAI shows it); `encrypted_content` carries what the
// provider needs back on the next turn: Anthropic's signed thinking blocks (and redacted ones). It
// is the gateway's own encoding, a prefix and base64url JSON, so that it is recognised when it comes
// back in `input` and anything else (OpenAI's own encrypted reasoning) is left alone. Gemini's thought
// signatures need no item: they travel in the function call's call_id (../../providers/google/tool-call-id.ts).
import { ThinkingBlock } from '../../dialects/openai'
import type { Item } from './items'

const PREFIX = 'gwr1.'

export function encodeThinking(blocks: ThinkingBlock[]): string | null {
  return blocks.length ? PREFIX + Buffer.from(JSON.stringify(blocks)).toString('base64url') : null
}

/** The thinking blocks an encrypted_content of the gateway's carries; none for any other value. */
export function decodeThinking(encrypted: unknown): ThinkingBlock[] {
  if (typeof encrypted !== 'string' || !encrypted.startsWith(PREFIX)) return []
  try {
    const blocks = ThinkingBlock.array().safeParse(JSON.parse(Buffer.from(encrypted.slice(PREFIX.length), 'base64url').toString('utf8')))
    return blocks.success ? blocks.data : []
  }
  catch {
    return []
  }
}

/** A reasoning item the gateway wrote for Claude or Gemini: OpenAI could not read it back. */
export const isGatewayReasoning = (item: { type?: unknown, encrypted_content?: unknown }) =>
  item.type === 'reasoning' && typeof item.encrypted_content === 'string' && item.encrypted_content.startsWith(PREFIX)

export const summaryText = (text: string) => ({ type: 'summary_text', text })

export const reasoningItem = (id: string, summary: string, blocks: ThinkingBlock[]): Item =>
  ({ id, type: 'reasoning', summary: summary ? [summaryText(summary)] : [], encrypted_content: encodeThinking(blocks) })

/** The request asked for reasoning summaries (`reasoning.summary`): the thinking text is shown. */
export const summaryWanted = (req: { reasoning?: { summary?: string | null } | null }) => req.reasoning?.summary != null

// Tool call ids, and where a Gemini thoughtSignature travels between turns.
//
// Gemini 3 rejects a follow-up request whose function-call turn lacks the thoughtSignature the model
// attached to it, but an OpenAI client only sends back what the OpenAI shape has. The signature is
// therefore carried twice on every tool call the gateway returns:
//   - in `extra_content.google.thought_signature`, the field Google's own OpenAI-compatible endpoint
//     uses (kept by clients that echo the assistant message as received), and
//   - inside the id, `call_<24 hex>_ts_<signature as base64url>`, because every client echoes the id.
// On the way back the field wins, then the id. A function call with neither (a hand-written or
// another provider's history) gets Google's documented placeholder, which turns the check off.
import { randomBytes } from 'node:crypto'

export const SKIP_SIGNATURE = 'skip_thought_signature_validator'

const OWN_ID = /^call_[0-9a-f]{24}_ts_([\w-]+)$/

export function toolCallId(signature?: string): string {
  const id = `call_${randomBytes(12).toString('hex')}`
  // Signatures are protobuf bytes, which JSON carries as standard base64: map it to the url-safe
  // alphabet (ids stay [A-Za-z0-9_-]) and drop the padding; the way back restores standard base64.
  return signature ? `${id}_ts_${signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}` : id
}

interface ToolCallLike {
  id: string
  extra_content?: unknown
}

export function signatureOf(call: ToolCallLike): string | undefined {
  const extra = (call.extra_content as { google?: { thought_signature?: unknown } } | undefined)?.google?.thought_signature
  if (typeof extra === 'string' && extra) return extra
  const packed = OWN_ID.exec(call.id)?.[1]
  if (!packed) return undefined
  const b64 = packed.replace(/-/g, '+').replace(/_/g, '/')
  return b64.padEnd(Math.ceil(b64.length / 4) * 4, '=')
}

// Claude requests on /v1/messages go to Anthropic as sent (only the model name changes, and max_tokens
// when it is above the model's limit: it is lowered to what the budget reserved for), so every
// Anthropic feature works through the gateway. These helpers build that request and read the usage
// of its answer for metering; the answer itself goes back to the client untouched. Thinking blocks
// the gateway wrote for another model (./thinking.ts) are the one thing left out: Claude would refuse
// their signature.
import { messagesPost } from '../../providers/anthropic/request'
import { fromAnthropicUsage, streamUsageTracker } from '../../providers/anthropic/usage'
import type { ChatCall, SseEvent, UpstreamRequest, UpstreamTarget } from '../../providers/types'
import type { TokenUsage } from '../../registry/cost'
import type { MessagesRequest } from '../../dialects/anthropic'
import { isGatewayThinking } from './thinking'

/**
 * Client headers passed on: the API version the client's SDK speaks (the shape of the answer it
 * expects) and the beta features it asked for. Without them, ANTHROPIC_VERSION applies.
 */
const PASSED_HEADERS = ['anthropic-version', 'anthropic-beta'] as const

export function nativeMessagesRequest(
  req: MessagesRequest,
  target: UpstreamTarget,
  { stream, maxOutputTokens }: ChatCall,
  clientHeaders: Record<string, string | string[] | undefined> = {},
): UpstreamRequest {
  const headers: Record<string, string> = {}
  for (const name of PASSED_HEADERS) {
    const value = clientHeaders[name]
    if (value) headers[name] = [value].flat().join(',')
  }
  return messagesPost(target, { ...req, model: target.model, max_tokens: maxOutputTokens ?? req.max_tokens, stream, messages: withoutGatewayThinking(req.messages) }, headers)
}

function withoutGatewayThinking(messages: MessagesRequest['messages']): MessagesRequest['messages'] {
  if (!messages.some(m => Array.isArray(m.content) && m.content.some(isGatewayThinking))) return messages
  return messages.map(m => (Array.isArray(m.content) ? { ...m, content: m.content.filter(b => !isGatewayThinking(b)) } : m))
}

/** Follows a native stream's usage: message_start has the input counts, message_delta the totals. */
export function nativeStreamUsage() {
  const tracker = streamUsageTracker()
  return {
    push({ event, data }: SseEvent): void {
      if (event === 'message_start') tracker.add(JSON.parse(data).message?.usage)
      else if (event === 'message_delta') tracker.add(JSON.parse(data).usage)
    },
    usage: (): TokenUsage | undefined => tracker.usage(),
  }
}

export function nativeResponseUsage(bodyText: string): TokenUsage {
  return fromAnthropicUsage(JSON.parse(bodyText).usage)
}

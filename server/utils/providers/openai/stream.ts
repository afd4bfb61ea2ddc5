// OpenAI streams pass through event by event, untouched. Only the usage chunk is read (for metering)
// and dropped when the client did not ask for it; `[DONE]` is left to the caller.
import type { TokenUsage } from '../../registry/cost'
import type { ChatStreamOptions, ChatStreamTranslator, SseEvent } from '../types'
import { StreamFailure } from '../types'
import { fromOpenAIUsage, openaiServedTier } from './usage'
import { openaiError } from './error'

export function chatStream(opts: ChatStreamOptions): ChatStreamTranslator {
  let usage: TokenUsage | undefined
  return {
    push({ data }: SseEvent) {
      if (data === '[DONE]') return []
      // A cheap substring test keeps JSON.parse off every content chunk.
      if (data.includes('"usage":{')) {
        const chunk = JSON.parse(data)
        usage = fromOpenAIUsage(chunk.usage, openaiServedTier(chunk.service_tier))
        if (!opts.includeUsage && Array.isArray(chunk.choices) && chunk.choices.length === 0) return []
      }
      else if (data.startsWith('{"error"')) {
        throw new StreamFailure(openaiError(500, data))
      }
      return [data]
    },
    end: () => [],
    usage: () => usage,
  }
}

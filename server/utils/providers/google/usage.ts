// Gemini usageMetadata → TokenUsage.
// promptTokenCount already includes cached tokens; thinking tokens come separately
// (thoughtsTokenCount) and, being billed at the output price, join the completion tokens as
// OpenAI's completion_tokens does with reasoning tokens. Audio prompt tokens are counted apart
// (promptTokensDetails and cacheTokensDetails by modality): several models price audio input higher.
import type { TokenUsage } from '../../registry/cost'
import type { GeminiUsage, ModalityTokenCount } from './wire'

const audioOf = (details: ModalityTokenCount[] | undefined) => (details ?? []).reduce((n, d) => n + (d.modality === 'AUDIO' ? d.tokenCount ?? 0 : 0), 0)

export function fromGeminiUsage(u: GeminiUsage | null | undefined): TokenUsage {
  const thoughts = u?.thoughtsTokenCount ?? 0
  const audio = audioOf(u?.promptTokensDetails)
  const cachedAudio = audioOf(u?.cacheTokensDetails)
  return {
    // Tool-use prompt tokens (results of built-in tools fed back to the model) are billed as input.
    promptTokens: (u?.promptTokenCount ?? 0) + (u?.toolUsePromptTokenCount ?? 0),
    cachedTokens: u?.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    completionTokens: (u?.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
    ...audio ? { audioTokens: audio } : {},
    ...cachedAudio ? { cachedAudioTokens: cachedAudio } : {},
  }
}

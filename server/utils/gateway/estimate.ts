// Token estimates for requests cut short (the client went away before the provider reported usage):
// the prompt and the part of the answer already streamed, counted with an OpenAI tokenizer
// (o200k_base; an approximation for other providers). Such rows are flagged as estimated.
import type { TokenUsage } from '../registry/cost'

let tokenizer: Promise<typeof import('gpt-tokenizer')> | undefined

async function countTokens(text: string): Promise<number> {
  if (!text) return 0
  tokenizer ??= import('gpt-tokenizer')
  return (await tokenizer).countTokens(text)
}

/** The text and tool arguments inside SSE already sent to a client, in OpenAI's or Anthropic's dialect. */
export function streamedText(sse: string): string {
  let text = ''
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: {')) continue
    try {
      const data = JSON.parse(line.slice(6))
      const delta = data.choices?.[0]?.delta ?? data.delta
      text += delta?.content ?? delta?.text ?? delta?.partial_json ?? delta?.thinking ?? ''
      for (const call of delta?.tool_calls ?? []) text += call.function?.arguments ?? ''
    }
    catch { /* a line that is not JSON carries no text */ }
  }
  return text
}

/** The text and tool arguments of a chat completion's choices (an answer that came without usage). */
export function answeredText(chatCompletion: string): string {
  let text = ''
  try {
    for (const choice of JSON.parse(chatCompletion).choices ?? []) {
      text += choice.message?.content ?? ''
      for (const call of choice.message?.tool_calls ?? []) text += call.function?.arguments ?? ''
    }
  }
  catch { /* not JSON: nothing to count */ }
  return text
}

/** Usage for a request the provider did not (fully) report: what it reported, topped up by counting. */
export async function estimateUsage(known: TokenUsage | undefined, promptText: string, completionText: string): Promise<TokenUsage> {
  const completion = await countTokens(completionText)
  return {
    promptTokens: known?.promptTokens || await countTokens(promptText),
    cachedTokens: known?.cachedTokens ?? 0,
    cacheWriteTokens: known?.cacheWriteTokens ?? 0,
    completionTokens: Math.max(known?.completionTokens ?? 0, completion),
    reasoningTokens: known?.reasoningTokens ?? 0,
  }
}

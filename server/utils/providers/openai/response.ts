// OpenAI responses are already in the client's shape: the body goes back as received, read only for
// usage. The usage object sits at the end of the body, so only that object is parsed when it can be
// found there; the whole body otherwise. So is `service_tier`, the tier that served the request.
import type { TranslatedAnswer } from '../types'
import { fromOpenAIUsage, fromResponsesUsage, servedTierOfBody } from './usage'

function usageOf(body: string) {
  const at = body.lastIndexOf('"usage"')
  const open = at < 0 ? -1 : body.indexOf('{', at)
  if (open > 0 && /^"usage"\s*:\s*$/.test(body.slice(at, open))) {
    // Usage holds only keys and numbers: its braces can be counted without reading strings.
    let depth = 0
    for (let i = open; i < body.length; i++) {
      const c = body.charCodeAt(i)
      if (c === 0x7B) depth++
      else if (c === 0x7D && --depth === 0) {
        try {
          return JSON.parse(body.slice(open, i + 1))
        }
        catch { break }
      }
    }
  }
  return JSON.parse(body).usage
}

export function chatResponse(upstreamBody: string): TranslatedAnswer {
  return { body: upstreamBody, usage: fromOpenAIUsage(usageOf(upstreamBody), servedTierOfBody(upstreamBody)) }
}

export function embeddingsResponse(upstreamBody: string): TranslatedAnswer {
  return { body: upstreamBody, usage: fromOpenAIUsage(usageOf(upstreamBody)) }
}

/** The usage of a Responses API body, read as a chat completion's is. */
export const responsesBodyUsage = (upstreamBody: string) => fromResponsesUsage(usageOf(upstreamBody), servedTierOfBody(upstreamBody))

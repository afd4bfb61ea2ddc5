// Fits a translated chat request to the model it goes to, from the model's capabilities in the
// registry: the built-in web search (`web_search_options` in the chat form) stays only where the model
// runs it, and beside function tools only where the model takes both; otherwise it is left out and the
// client is told so in an `x-gateway-warning` response header rather than sent a refusal. The output
// cap is fitted in dispatch (budget-estimate.ts completionCap), as the budget reservation counts it.
import type { H3Event } from 'h3'
import { setResponseHeader } from 'h3'
import type { ChatCompletionRequest } from '../dialects/openai'
import { canInclude, toolCapabilities } from '../registry/capabilities'
import type { ModelEntry } from '../registry/schema'

export const WARNING_HEADER = 'x-gateway-warning'

/** The request as the target takes it; what was left out is pushed onto `warnings`. */
export function fitChatRequest(req: ChatCompletionRequest, entry: ModelEntry, warnings: string[]): ChatCompletionRequest {
  if (req.web_search_options == null) return req
  const tools = toolCapabilities(entry)
  const why = !tools.builtIn.includes('web_search')
    ? `${entry.id} has no web search`
    : req.tools?.length && !tools.withFunctions ? `${entry.id} cannot search the web and call functions in one request` : undefined
  if (!why) return req
  warnings.push(`web_search left out: ${why}`)
  const { web_search_options: _, ...rest } = req
  return rest
}

/**
 * The Responses API `include` items the target's answer can carry (undefined when all of them can);
 * the others are left out, noted on `warnings`.
 */
export function fitIncludes(include: readonly string[] | null | undefined, entry: ModelEntry, warnings: string[]): string[] | undefined {
  const dropped = (include ?? []).filter(i => !canInclude(entry, i))
  if (!dropped.length) return undefined
  warnings.push(`include ${dropped.join(', ')} left out: ${entry.id} does not produce ${dropped.length > 1 ? 'them' : 'it'}`)
  return include!.filter(i => !dropped.includes(i))
}

/** Sends the warnings of the target that answered (a header per warning). */
export function sendWarnings(event: H3Event, warnings: string[]): void {
  if (warnings.length) setResponseHeader(event, WARNING_HEADER, warnings)
}

// What a model can be sent beyond plain chat: its registry entry's `capabilities` where set, else its
// provider's default. Translated requests are fitted to this (gateway/fit-target.ts); OpenAI models of
// /v1/responses get requests natively, so OpenAI's own answer decides there.
import type { BuiltInTool, ModelEntry, ProviderId } from './schema'

export interface ToolCapabilities {
  builtIn: readonly BuiltInTool[]
  /** Built-in tools may be sent beside function tools. */
  withFunctions: boolean
}

/**
 * Anthropic runs web search as a server tool beside client tools; Gemini grounds with Google Search,
 * but only Gemini 3 models take it together with function declarations (registry entries say so);
 * OpenAI's Chat Completions has no built-in tools for its general models.
 */
const PROVIDER_TOOLS: Record<ProviderId, ToolCapabilities> = {
  openai: { builtIn: [], withFunctions: true },
  anthropic: { builtIn: ['web_search'], withFunctions: true },
  google: { builtIn: ['web_search'], withFunctions: false },
}

export function toolCapabilities(entry: ModelEntry): ToolCapabilities {
  const own = entry.capabilities?.tools
  const fallback = PROVIDER_TOOLS[entry.provider]
  return own ? { builtIn: own.builtIn, withFunctions: own.withFunctions ?? fallback.withFunctions } : fallback
}

/** The Responses API's `include` items the gateway knows; a newer one goes to OpenAI models as sent. */
export const KNOWN_INCLUDES = [
  'code_interpreter_call.outputs', 'computer_call_output.output.image_url', 'file_search_call.results', 'message.input_image.image_url',
  'message.output_text.logprobs', 'reasoning.encrypted_content', 'web_search_call.action.sources', 'web_search_call.results',
] as const

/**
 * The `include` items a model's answer can carry: OpenAI's every one (models that do not reason say in
 * the registry that they lack reasoning.encrypted_content, which OpenAI refuses for them); none for
 * translated answers, which have no such items yet.
 */
const PROVIDER_INCLUDES: Record<ProviderId, readonly string[]> = { openai: KNOWN_INCLUDES, anthropic: [], google: [] }

export const includeCapabilities = (entry: ModelEntry): readonly string[] => entry.capabilities?.include ?? PROVIDER_INCLUDES[entry.provider]

/** Whether the model's answer can carry an include item (one the gateway does not know goes to OpenAI as sent). */
export function canInclude(entry: ModelEntry, item: string): boolean {
  if (includeCapabilities(entry).includes(item)) return true
  return entry.provider === 'openai' && !(KNOWN_INCLUDES as readonly string[]).includes(item)
}

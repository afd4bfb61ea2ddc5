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

/** Responses API `include` items a translated answer carries; none today (OpenAI models answer natively). */
export const includeCapabilities = (entry: ModelEntry): readonly string[] => entry.capabilities?.include ?? []

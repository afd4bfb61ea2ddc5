// What a model can be sent beyond plain chat. Reasoning and sampling: the known model families' rules,
// by model id; the seed and every scrape that adds a model take them from here, a model the registry
// already holds keeps what it has (an admin may have corrected it), and only a missing key is filled.
// Tools and include items: the registry entry's `capabilities` where set, else the provider's default;
// translated requests are fitted to these (gateway/fit-target.ts), and OpenAI models of /v1/responses
// get requests natively, so OpenAI's own answer decides there.
import type { BuiltInTool, ModelCapabilities, ModelEntry, ProviderId, ReasoningCapability, SamplingCapability } from './schema'

interface FamilyRule { match: RegExp, reasoning: ReasoningCapability, sampling?: SamplingCapability }

const CLAUDE_SAMPLING: SamplingCapability = { temperatureMax: 1, temperatureOrTopP: true }
const OPENAI_REASONING_SAMPLING: SamplingCapability = { refuses: ['temperature', 'top_p'] }
const GEMINI_3_PRO_LEVELS: ReasoningCapability = { control: 'level', levels: ['low', 'high'], alwaysOn: true }
const GEMINI_3_FLASH_LEVELS: ReasoningCapability = { control: 'level', levels: ['minimal', 'low', 'medium', 'high'], alwaysOn: true }

/** First match wins, so narrower patterns come first. */
const RULES: Record<ProviderId, FamilyRule[]> = {
  anthropic: [
    { match: /^claude-3-(5-)?(haiku|sonnet|opus)/, reasoning: { control: 'none' }, sampling: CLAUDE_SAMPLING },
    // Extended thinking with a budget: Claude 3.7 and the 4.0 to 4.5 models.
    { match: /^claude-(3-7-sonnet|(opus|sonnet)-4-[015]|haiku-4-5|(opus|sonnet)-4-20)/, reasoning: { control: 'budget', minBudget: 1024 }, sampling: CLAUDE_SAMPLING },
    // Adaptive thinking and the effort control: 4.6 and later (4.7 and later take nothing else).
    { match: /^claude-/, reasoning: { control: 'adaptive' }, sampling: CLAUDE_SAMPLING },
  ],
  google: [
    { match: /^gemini-2\.5-pro/, reasoning: { control: 'budget', minBudget: 128, maxBudget: 32768, alwaysOn: true } },
    { match: /^gemini-2\.5-flash-lite/, reasoning: { control: 'budget', minBudget: 512, maxBudget: 24576 } },
    { match: /^gemini-2\.5-flash/, reasoning: { control: 'budget', minBudget: 1, maxBudget: 24576 } },
    { match: /^gemini-[3-9][\d.]*-pro/, reasoning: GEMINI_3_PRO_LEVELS },
    { match: /^gemini-[3-9][\d.]*-flash/, reasoning: GEMINI_3_FLASH_LEVELS },
    { match: /^gemini-/, reasoning: { control: 'none' } },
  ],
  openai: [
    { match: /^gpt-5-search-api/, reasoning: { control: 'none' } },
    { match: /^(o\d|gpt-5)/, reasoning: { control: 'effort' }, sampling: OPENAI_REASONING_SAMPLING },
    { match: /./, reasoning: { control: 'none' } },
  ],
}

/** The capabilities the family rules give a model; undefined for a model no rule knows. */
export function familyCapabilities(provider: ProviderId, id: string): ModelCapabilities | undefined {
  const rule = RULES[provider].find(r => r.match.test(id))
  if (!rule) return undefined
  return rule.sampling ? { reasoning: rule.reasoning, sampling: rule.sampling } : { reasoning: rule.reasoning }
}

/** A model's capabilities with the reasoning and sampling keys filled from its family where missing. */
export function withFamilyCapabilities(provider: ProviderId, id: string, current: ModelCapabilities | undefined): ModelCapabilities | undefined {
  const family = familyCapabilities(provider, id)
  if (!family) return current
  const merged = { ...current }
  if (!merged.reasoning) merged.reasoning = family.reasoning
  if (!merged.sampling && family.sampling) merged.sampling = family.sampling
  return merged
}

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
const PROVIDER_TOOLS: Partial<Record<string, ToolCapabilities>> = {
  openai: { builtIn: [], withFunctions: true },
  anthropic: { builtIn: ['web_search'], withFunctions: true },
  google: { builtIn: ['web_search'], withFunctions: false },
}

/** A connection's own models (an Ollama or vLLM server's): function tools, no built-in tool the gateway knows of. */
const CONNECTION_TOOLS: ToolCapabilities = { builtIn: [], withFunctions: true }

export function toolCapabilities(entry: ModelEntry): ToolCapabilities {
  const own = entry.capabilities?.tools
  const fallback = PROVIDER_TOOLS[entry.provider] ?? CONNECTION_TOOLS
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
const PROVIDER_INCLUDES: Partial<Record<string, readonly string[]>> = { openai: KNOWN_INCLUDES, anthropic: [], google: [] }

/** A connection's own models answer through the chat translation, whose answers carry no include items. */
export const includeCapabilities = (entry: ModelEntry): readonly string[] => entry.capabilities?.include ?? PROVIDER_INCLUDES[entry.provider] ?? []

/** Whether the model's answer can carry an include item (one the gateway does not know goes to OpenAI as sent). */
export function canInclude(entry: ModelEntry, item: string): boolean {
  if (includeCapabilities(entry).includes(item)) return true
  return entry.provider === 'openai' && !(KNOWN_INCLUDES as readonly string[]).includes(item)
}

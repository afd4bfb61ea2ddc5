// The reasoning and sampling capabilities of the known model families, by model id. The seed and
// every scrape that adds a model take them from here; a model the registry already holds keeps what
// it has (an admin may have corrected it), and only a missing key is filled.
import type { ModelCapabilities, ProviderId, ReasoningCapability, SamplingCapability } from './schema'

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

// The model pricing registry's shape. Every cost the gateway reports is computed from these
// numbers, so the schema is strict: prices are USD per 1M tokens, finite and within sane bounds.
import { z } from 'zod'

/** The official providers, whose prices the registry reads from their pricing pages. */
export const PROVIDERS = ['openai', 'anthropic', 'google'] as const
export const ProviderId = z.enum(PROVIDERS)
export type ProviderId = z.infer<typeof ProviderId>

/**
 * A connection's name: the official providers' own ids, or a slug an admin chose (`ollama`,
 * `groq-eu`), which apps use as the model prefix (`ollama/llama3.3`).
 */
export const ConnectionName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a connection name is a slug: lowercase letters, digits and dashes, at most 40, starting with a letter or digit')
export type ConnectionName = z.infer<typeof ConnectionName>

/** USD per 1M tokens. 1000 is far above any real text price: larger is a parse error. */
export const Price = z.number().finite().min(0).max(1000)

/** Prices that apply once the prompt exceeds `aboveTokens` (Gemini's >200k, OpenAI's long context). */
export const PricingTier = z.object({
  aboveTokens: z.number().int().positive(),
  input: Price,
  cachedInput: Price.optional(),
  /** Cache writes above the threshold (OpenAI's "Long context cache writes"). */
  cacheWrite: Price.optional(),
  output: Price,
})

/** Token prices of one service tier: text classes, audio where priced apart, long-context tiers. */
const tokenPriceFields = {
  input: Price,
  /** Price of prompt tokens read from the provider's cache. */
  cachedInput: Price.optional(),
  /** Price of prompt tokens written to the cache (Anthropic's 5-minute write, OpenAI's cache write). */
  cacheWrite: Price.optional(),
  /** Price of prompt tokens written to the cache for 1 hour (Anthropic's `1h Cache Writes`, 2× input). */
  cacheWrite1h: Price.optional(),
  /** Audio prompt tokens where priced apart from text (Gemini's "(audio)" input, OpenAI's audio models). */
  audioInput: Price.optional(),
  /** Audio prompt tokens read from the cache, where priced apart. */
  audioCachedInput: Price.optional(),
  output: Price,
  /** Audio completion tokens where priced apart (OpenAI's audio models). */
  audioOutput: Price.optional(),
  tiers: z.array(PricingTier).optional(),
}

export const SERVICE_TIERS = ['batch', 'flex', 'priority'] as const
/** A tier other than standard: Batch API, Flex, Priority (OpenAI's "Fast mode"). */
export type ServiceTier = typeof SERVICE_TIERS[number]

const cachedNotAboveInput = (p: { input: number, cachedInput?: number }) => p.cachedInput === undefined || p.cachedInput <= p.input
const CACHED_ABOVE_INPUT = { message: 'cachedInput must not exceed input', path: ['cachedInput'] }
export const TierPricing = z.object(tokenPriceFields).refine(cachedNotAboveInput, CACHED_ABOVE_INPUT)
export type TierPricing = z.infer<typeof TierPricing>

const priceFields = {
  ...tokenPriceFields,
  /** Prices of the other service tiers the page lists; the fields above are the standard tier's. */
  serviceTiers: z.object({ batch: TierPricing.optional(), flex: TierPricing.optional(), priority: TierPricing.optional() }).strict().optional(),
}

/**
 * Prices that take effect at `from` (ISO 8601, UTC) and hold until the next entry's `from`: a dated
 * price change the page announces ("$1.50 starting January 1, 2027") switches on its date, no scrape
 * needed.
 */
export const ScheduledPricing = z.object({ from: z.iso.datetime(), ...priceFields }).refine(cachedNotAboveInput, CACHED_ABOVE_INPUT)
export type ScheduledPricing = z.infer<typeof ScheduledPricing>

export const Pricing = z
  .object({
    ...priceFields,
    /** Later prices, in order of `from`; before the first, the prices above apply. */
    schedule: z.array(ScheduledPricing).optional(),
    /**
     * These prices are promotional and announced to hold at least through this moment (the end of
     * the page's date, UTC); what follows is not announced, so nothing is scheduled: a flag to watch.
     */
    promotionalThrough: z.iso.datetime().optional(),
    /** USD per 1,000 calls of a built-in tool, billed when the usage reports the calls (Anthropic's web search). */
    toolFees: z.object({ webSearch: z.number().finite().min(0).max(1000).optional() }).strict().optional(),
    /**
     * Multipliers on every token price by the inference geography the answer reports (Anthropic's
     * `inference_geo: "us"`, ×1.1 for Claude 4.6 and later); other geographies bill at the prices above.
     */
    geoMultipliers: z.record(z.string().min(1), z.number().finite().min(1).max(3)).optional(),
  })
  .refine(cachedNotAboveInput, CACHED_ABOVE_INPUT)
  .refine(p => (p.schedule ?? []).every((s, i, all) => i === 0 || Date.parse(all[i - 1]!.from) < Date.parse(s.from)), {
    message: 'schedule entries must be in order of from, each date once',
    path: ['schedule'],
  })
export type Pricing = z.infer<typeof Pricing>

export const ModelMode = z.enum(['chat', 'embedding'])
export const ModelStatus = z.enum(['active', 'deprecated', 'retired'])

/**
 * How a model's reasoning is controlled, so each dialect's reasoning setting reaches it in the form it
 * takes: `effort` OpenAI's reasoning_effort; `budget` a thinking token budget (Anthropic's
 * thinking.budget_tokens, Gemini 2.5's thinkingBudget) within `minBudget`..`maxBudget`; `adaptive`
 * Anthropic's adaptive thinking with output_config.effort; `level` Gemini 3's thinkingLevel, one of
 * `levels`; `none` no reasoning control. `alwaysOn`: the model cannot turn reasoning off.
 */
export const ReasoningCapability = z.object({
  control: z.enum(['none', 'effort', 'budget', 'adaptive', 'level']),
  minBudget: z.number().int().nonnegative().optional(),
  maxBudget: z.number().int().positive().optional(),
  levels: z.array(z.enum(['minimal', 'low', 'medium', 'high'])).min(1).optional(),
  alwaysOn: z.boolean().optional(),
})
export type ReasoningCapability = z.infer<typeof ReasoningCapability>

/**
 * The sampling parameters a model refuses or bounds: `refuses` are left out of its requests (OpenAI's
 * reasoning models), a temperature above `temperatureMax` is lowered to it (Claude's 0..1), and with
 * `temperatureOrTopP` top_p is left out when temperature is set (current Claude models take one).
 */
export const SamplingCapability = z.object({
  refuses: z.array(z.enum(['temperature', 'top_p'])).optional(),
  temperatureMax: z.number().positive().optional(),
  temperatureOrTopP: z.boolean().optional(),
})
export type SamplingCapability = z.infer<typeof SamplingCapability>

/** Built-in tools the gateway can map a client's request to, named as the Responses API names them. */
export const BuiltInTool = z.enum(['web_search'])
export type BuiltInTool = z.infer<typeof BuiltInTool>

/**
 * What a model accepts beyond the common request fields, where the defaults (registry/capabilities.ts)
 * do not hold for it. `reasoning`, `sampling`: how its reasoning is controlled and which sampling
 * parameters it refuses or bounds. `tools.builtIn`: the built-in tools it runs itself;
 * `tools.withFunctions`: whether they may be combined with function tools in one request (Gemini
 * before 3 refuses that). `include`: the Responses API `include` items a translated answer can carry.
 */
export const ModelCapabilities = z.object({
  reasoning: ReasoningCapability.optional(),
  sampling: SamplingCapability.optional(),
  tools: z.object({
    builtIn: z.array(BuiltInTool),
    withFunctions: z.boolean().optional(),
  }).optional(),
  include: z.array(z.string()).optional(),
})
export type ModelCapabilities = z.infer<typeof ModelCapabilities>
/** A model priced as another registry model, times a multiplier (an Azure data-zone deployment at 1.1×). */
export const PriceAs = z.object({ model: z.string().min(1), multiplier: z.number().finite().positive().max(100).default(1) }).strict()
export type PriceAs = z.infer<typeof PriceAs>

export const ModelEntry = z.object({
  /** The official providers' models by their API id; a connection's as `connection/model`. */
  id: z.string().min(1),
  /** The connection that serves the model (for the official providers, their id). */
  provider: ConnectionName,
  mode: ModelMode,
  displayName: z.string().optional(),
  /**
   * Its own prices (scraped, seed or manual). A connection's model may have none and be priced as
   * another model (`priceAs`), be `free`, or be unpriced (refused unless UNPRICED_MODELS=allow).
   */
  pricing: Pricing.optional(),
  priceAs: PriceAs.optional(),
  /** A self-hosted model whose cost is the operator's own: billed $0 on purpose. */
  free: z.literal(true).optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  capabilities: ModelCapabilities.optional(),
  aliases: z.array(z.string()).default([]),
  status: ModelStatus.default('active'),
  /** Where the entry came from: a pricing page (scraped, seed), an admin (manual), a connection's model list (discovered). */
  source: z.enum(['scraped', 'seed', 'manual', 'discovered']),
  /** While an admin's manual price is in force (source "manual"): the last scraped or seed price. */
  scrapedPricing: Pricing.optional(),
  /** Set when a scrape no longer finds the model on its page; models are never deleted. */
  notSeenSince: z.string().optional(),
  updatedAt: z.string(),
})
export type ModelEntry = z.infer<typeof ModelEntry>

export const SourceStatus = z.object({
  url: z.string(),
  fetchedAt: z.string().optional(),
  ok: z.boolean(),
  error: z.string().optional(),
  /** When this provider's prices were last taken successfully. */
  lastSuccessAt: z.string().optional(),
  /** Models found on the page at the last successful update. */
  models: z.number().int().nonnegative().optional(),
})

export const Registry = z.object({
  version: z.number().int().nonnegative(),
  updatedAt: z.string(),
  sources: z.record(z.string(), SourceStatus),
  models: z.array(ModelEntry),
})
export type Registry = z.infer<typeof Registry>

/** What a pricing-page parser yields for one model. */
export interface ParsedModel {
  id: string
  displayName?: string
  mode: z.infer<typeof ModelMode>
  pricing: Pricing
  status?: z.infer<typeof ModelStatus>
}

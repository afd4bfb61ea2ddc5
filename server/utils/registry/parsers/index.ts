// One parser per provider pricing page, chosen by provider id. (PricingParseError and ParseOptions
// live in ./common; they are not re-exported here, since Nitro auto-imports server/utils and would
// see them twice.)
import type { ParsedModel, ProviderId } from '../schema'
import { parseAnthropicPricing } from './anthropic'
import type { ParseOptions } from './common'
import { parseGooglePricing } from './google'
import { parseOpenAIPricing } from './openai'

const PARSERS: Record<ProviderId, (text: string, options?: ParseOptions) => ParsedModel[]> = {
  openai: parseOpenAIPricing,
  anthropic: parseAnthropicPricing,
  google: parseGooglePricing,
}

/** The standard-tier models and prices on a provider's pricing page; throws PricingParseError on pages it cannot read. */
export function parsePricingPage(provider: ProviderId, text: string, options: ParseOptions = {}): ParsedModel[] {
  return PARSERS[provider](text, options)
}

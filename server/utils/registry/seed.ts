// The registry shipped in data/models.json: standard prices parsed from saved copies of the three
// pricing pages, plus the limits and snapshot aliases recorded in data/model-aliases.json.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import aliasFile from '../../../data/model-aliases.json'
import { withFamilyCapabilities } from './capabilities'
import { parsePricingPage } from './parsers'
import { compact } from './parsers/common'
import { ModelCapabilities, type ModelEntry, type ParsedModel, type ProviderId, PROVIDERS, Registry } from './schema'
import { PRICING_PAGE_URLS } from './sources'

/** File names of the saved copies in a pages folder (the shared fixtures use these). */
export const SAVED_PAGE_FILES: Record<ProviderId, string> = {
  openai: 'openai-pricing.md',
  anthropic: 'anthropic-pricing.md',
  google: 'google-pricing.md.txt',
}

const ModelFacts = z.object({
  models: z.record(z.string(), z.object({
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    aliases: z.array(z.string()).optional(),
    capabilities: ModelCapabilities.optional(),
    source: z.string().min(1),
  })),
})
/** The maintained facts per API id: limits, snapshot aliases, capabilities where they differ from the provider's. */
export const FACTS = ModelFacts.parse(aliasFile).models

export function readSavedPages(dir: string): Record<ProviderId, string> {
  return Object.fromEntries(PROVIDERS.map(p => [p, readFileSync(join(dir, SAVED_PAGE_FILES[p]), 'utf8')])) as Record<ProviderId, string>
}

/** A validated registry from the pages' text; `now` (ISO time) stamps it and dates the prices. */
export function buildSeedRegistry(pages: Record<ProviderId, string>, now: string): Registry {
  const models = PROVIDERS
    .flatMap(provider => parsePricingPage(provider, pages[provider], { now: new Date(now) }).map(m => entryOf(provider, m, now)))
    .sort((a, b) => compare(a.provider, b.provider) || compare(a.id, b.id))
  return Registry.parse({
    version: 1,
    updatedAt: now,
    sources: Object.fromEntries(PROVIDERS.map(p => [p, { url: PRICING_PAGE_URLS[p], fetchedAt: now, ok: true }])),
    models,
  })
}

function entryOf(provider: ProviderId, model: ParsedModel, now: string): ModelEntry {
  const facts = FACTS[model.id]
  return compact({
    id: model.id,
    provider,
    mode: model.mode,
    displayName: model.displayName,
    pricing: model.pricing,
    contextWindow: facts?.contextWindow,
    maxOutputTokens: facts?.maxOutputTokens,
    aliases: facts?.aliases ?? [],
    // The maintained facts first, then the family rules for the reasoning and sampling keys they lack.
    capabilities: model.mode === 'chat' ? withFamilyCapabilities(provider, model.id, facts?.capabilities) : facts?.capabilities,
    status: model.status ?? 'active',
    source: 'seed',
    updatedAt: now,
  })
}

// Code-unit order, so the file does not depend on the machine's locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

// The re-pricing report: what the requests of a period would have cost at another registry version
// (the rollback target, or the one in force), per model, beside what they were billed. Each logged
// request is priced again from its usage at the time it was made. The usage is rebuilt from the row's
// token columns and its billed lines: audio tokens and web searches come from their own lines, so a
// request billed by a version that priced audio as text is priced again as text; a line billed with a
// geography multiplier means the request ran in the US (the only geography priced apart).
import { nanoToUsd } from '../core/money'
import { type BilledRequest, billedRequestsBetween } from '../store/request-log'
import { costNanoUsd, type TokenUsage } from './cost'
import { effectivePricing } from './price-source'
import { type ModelEntry, type Registry, SERVICE_TIERS, type ServiceTier } from './schema'

export interface RepriceRow {
  provider: string
  model: string
  requests: number
  billedNanoUsd: number
  /** At the other version; null when that version does not price the model. */
  repricedNanoUsd: number | null
  differenceNanoUsd: number | null
}

const tokensOf = (r: BilledRequest, cls: string) => r.costLines.filter(l => l.class === cls).reduce((n, l) => n + l.tokens, 0)

/** The usage a logged request was billed for. */
export function usageOfRow(r: BilledRequest): TokenUsage {
  const audioCached = tokensOf(r, 'audioCachedInput')
  const tier = SERVICE_TIERS.find(t => t === r.serviceTier) as ServiceTier | undefined
  return {
    promptTokens: r.promptTokens,
    cachedTokens: r.cachedTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    cacheWrite1hTokens: r.cacheWrite1hTokens,
    completionTokens: r.completionTokens,
    reasoningTokens: r.reasoningTokens,
    audioTokens: tokensOf(r, 'audioInput') + audioCached,
    cachedAudioTokens: audioCached,
    audioOutputTokens: tokensOf(r, 'audioOutput'),
    webSearchCalls: tokensOf(r, 'webSearch'),
    ...tier ? { serviceTier: tier } : {},
    ...r.costLines.some(l => l.multiplier !== undefined) ? { inferenceGeo: 'us' } : {},
  }
}

/** Per model (provider, then id), what the period was billed and would have cost at `target`. */
export async function repriceBetween(from: number, to: number, target: Registry) {
  const byId = new Map<string, ModelEntry>()
  const byName = new Map<string, ModelEntry>()
  for (const m of target.models) {
    for (const name of [m.id, ...m.aliases]) {
      if (!byId.has(`${m.provider}/${name}`)) byId.set(`${m.provider}/${name}`, m)
      if (!byName.has(name)) byName.set(name, m)
    }
  }
  // A connection's model priced as another (`priceAs`) or free is priced again the same way; an unpriced one is not.
  const pricingOf = (entry: ModelEntry | undefined) => entry && effectivePricing(entry, name => byName.get(name))
  const rows = new Map<string, RepriceRow>()
  for await (const page of billedRequestsBetween(from, to)) {
    for (const r of page) {
      const key = `${r.provider}/${r.model}`
      const pricing = pricingOf(byId.get(key))
      const row = rows.get(key) ?? { provider: r.provider, model: r.model, requests: 0, billedNanoUsd: 0, repricedNanoUsd: pricing ? 0 : null, differenceNanoUsd: null }
      row.requests++
      row.billedNanoUsd += r.costNanoUsd
      if (pricing) row.repricedNanoUsd! += costNanoUsd(pricing, usageOfRow(r), r.createdAt)
      rows.set(key, row)
    }
  }
  const data = [...rows.values()].sort((a, b) => (a.provider + a.model < b.provider + b.model ? -1 : 1)).map(r => ({
    ...r,
    differenceNanoUsd: r.repricedNanoUsd === null ? null : r.repricedNanoUsd - r.billedNanoUsd,
    billedUsd: nanoToUsd(r.billedNanoUsd),
    repricedUsd: r.repricedNanoUsd === null ? null : nanoToUsd(r.repricedNanoUsd),
  }))
  return { version: target.version, data }
}

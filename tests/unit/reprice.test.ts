// Re-pricing rebuilds each logged request's usage from its token columns and its billed lines, then
// prices it at another registry version: what a row was billed for must come back whole.
import { describe, expect, it } from 'vitest'
import { costLines, costNanoUsd } from '../../server/utils/registry/cost'
import { usageOfRow } from '../../server/utils/registry/reprice'
import type { Pricing } from '../../server/utils/registry/schema'
import type { BilledRequest } from '../../server/utils/store/request-log'

const AT = Date.UTC(2026, 10, 26, 12)
const row = (over: Partial<BilledRequest>): BilledRequest => ({
  createdAt: AT, provider: 'google', model: 'gemini-2.5-flash', promptTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0,
  completionTokens: 0, reasoningTokens: 0, serviceTier: null, costNanoUsd: 0, costLines: [], ...over,
})

describe('usageOfRow', () => {
  it('gives back the audio, tier, geography and searches a row was billed for, so the same prices bill the same lines', () => {
    const flash: Pricing = { input: 0.3, cachedInput: 0.03, audioInput: 1, audioCachedInput: 0.1, output: 2.5, serviceTiers: { flex: { input: 0.15, audioInput: 0.5, output: 1.25 } } }
    const claude: Pricing = { input: 3, output: 15, geoMultipliers: { us: 1.1 }, toolFees: { webSearch: 10 } }
    const cases: [Pricing, Parameters<typeof costLines>[1]][] = [
      [flash, { promptTokens: 1000, cachedTokens: 300, audioTokens: 500, cachedAudioTokens: 100, completionTokens: 10, reasoningTokens: 0, cacheWriteTokens: 0 }],
      [flash, { promptTokens: 1000, cachedTokens: 0, audioTokens: 600, completionTokens: 10, reasoningTokens: 0, cacheWriteTokens: 0, serviceTier: 'flex' }],
      [claude, { promptTokens: 1000, cachedTokens: 0, completionTokens: 10, reasoningTokens: 0, cacheWriteTokens: 0, inferenceGeo: 'us', webSearchCalls: 2 }],
    ]
    for (const [pricing, usage] of cases) {
      const lines = costLines(pricing, usage, AT)
      const r = row({ promptTokens: usage.promptTokens, cachedTokens: usage.cachedTokens, completionTokens: usage.completionTokens, serviceTier: usage.serviceTier ?? null, costLines: lines, costNanoUsd: costNanoUsd(pricing, usage, AT) })
      expect(costLines(pricing, usageOfRow(r), AT)).toEqual(lines)
    }
  })

  it('prices a row billed before audio was priced apart as text, at the other version too', () => {
    const r = row({ promptTokens: 1000, completionTokens: 10, costLines: [{ class: 'input', tokens: 1000, usdPerMillion: 0.3 }, { class: 'output', tokens: 10, usdPerMillion: 2.5 }] })
    expect(costNanoUsd({ input: 0.3, audioInput: 1, output: 2.5 }, usageOfRow(r), AT)).toBe(1000 * 300 + 10 * 2500)
  })
})

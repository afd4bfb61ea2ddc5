// A request's cost in nano-dollars from its usage and the registry's prices (USD per 1M tokens):
// long-context tiers, cache reads and 5-minute and 1-hour writes, reasoning tokens (part of the completion) and no usage at all.
import { describe, expect, it } from 'vitest'
import { costLines, costNanoUsd, pricesFor, type TokenUsage, ZERO_USAGE } from '../../server/utils/registry/cost'
import type { Pricing } from '../../server/utils/registry/schema'

const usage = (over: Partial<TokenUsage>): TokenUsage => ({ ...ZERO_USAGE, ...over })

describe('pricesFor', () => {
  const tiered: Pricing = {
    input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 4,
    tiers: [{ aboveTokens: 272_000, input: 3, output: 9 }, { aboveTokens: 128_000, input: 2, cachedInput: 0.2, output: 8 }],
  }

  it('takes the base prices up to and at a tier\'s threshold', () => {
    expect(pricesFor(tiered, 0)).toEqual({ input: 1, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: undefined, output: 4 })
    expect(pricesFor(tiered, 128_000)).toEqual({ input: 1, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: undefined, output: 4 })
  })

  it('takes the highest tier the prompt exceeds, whatever their order', () => {
    expect(pricesFor(tiered, 128_001)).toEqual({ input: 2, cachedInput: 0.2, cacheWrite: 1.25, cacheWrite1h: undefined, output: 8 })
    expect(pricesFor(tiered, 272_001)).toEqual({ input: 3, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: undefined, output: 9 })
  })

  it('takes a tier\'s own cache-write price above its threshold (OpenAI\'s long-context cache writes)', () => {
    const sol: Pricing = { input: 4, cachedInput: 0.4, cacheWrite: 5, output: 20, tiers: [{ aboveTokens: 272_000, input: 8, cachedInput: 0.8, cacheWrite: 10, output: 30 }] }
    expect(pricesFor(sol, 272_000).cacheWrite).toBe(5)
    expect(pricesFor(sol, 272_001).cacheWrite).toBe(10)
  })

  it('leaves the cache prices unset where the registry has none', () => {
    expect(pricesFor({ input: 0.02, output: 0 }, 10)).toEqual({ input: 0.02, cachedInput: undefined, cacheWrite: undefined, cacheWrite1h: undefined, output: 0 })
  })
})

describe('costNanoUsd', () => {
  const claude: Pricing = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 }

  it('costs nothing without usage', () => {
    expect(costNanoUsd(claude, ZERO_USAGE)).toBe(0)
  })

  it('prices prompt and completion tokens per million, in whole nano-dollars', () => {
    expect(costNanoUsd(claude, usage({ promptTokens: 1_000_000 }))).toBe(3_000_000_000)
    // 2000 × $3/1M = $0.006, 500 × $15/1M = $0.0075.
    expect(costNanoUsd(claude, usage({ promptTokens: 2000, completionTokens: 500 }))).toBe(13_500_000)
  })

  it('prices cache reads and writes apart from the rest of the prompt, 1-hour writes at their own price', () => {
    // 10 000 prompt tokens: 6000 read from the cache, 3000 written to it (1000 of them for 1 hour), 1000 neither.
    const u = usage({ promptTokens: 10_000, cachedTokens: 6000, cacheWriteTokens: 3000, cacheWrite1hTokens: 1000, completionTokens: 100 })
    // 1000 × 3000 + 6000 × 300 + 2000 × 3750 + 1000 × 6000 + 100 × 15 000 nano-dollars per 1000 tokens.
    expect(costNanoUsd(claude, u)).toBe(3_000_000 + 1_800_000 + 7_500_000 + 6_000_000 + 1_500_000)
    expect(costLines(claude, u)).toEqual([
      { class: 'input', tokens: 1000, usdPerMillion: 3 },
      { class: 'cachedInput', tokens: 6000, usdPerMillion: 0.3 },
      { class: 'cacheWrite', tokens: 2000, usdPerMillion: 3.75 },
      { class: 'cacheWrite1h', tokens: 1000, usdPerMillion: 6 },
      { class: 'output', tokens: 100, usdPerMillion: 15 },
    ])
  })

  it('prices 1-hour writes at the 5-minute price when the registry has no 1-hour price', () => {
    const { cacheWrite1h: _, ...older } = claude
    expect(costNanoUsd(older, usage({ promptTokens: 1000, cacheWriteTokens: 1000, cacheWrite1hTokens: 1000 }))).toBe(3_750_000)
  })

  it('prices cached tokens at the input price when the model has no cache price', () => {
    const plain: Pricing = { input: 0.5, output: 1.5 }
    expect(costNanoUsd(plain, usage({ promptTokens: 1000, cachedTokens: 400, cacheWriteTokens: 100 }))).toBe(500_000)
  })

  it('never charges a negative uncached part when the cache counts exceed the prompt', () => {
    expect(costNanoUsd(claude, usage({ promptTokens: 100, cachedTokens: 80, cacheWriteTokens: 40 }))).toBe(24_000 + 150_000)
  })

  it('counts reasoning tokens once, inside the completion', () => {
    const o3: Pricing = { input: 2, cachedInput: 0.5, output: 8 }
    const withReasoning = usage({ promptTokens: 100, completionTokens: 900, reasoningTokens: 800 })
    expect(costNanoUsd(o3, withReasoning)).toBe(200_000 + 7_200_000)
    expect(costNanoUsd(o3, withReasoning)).toBe(costNanoUsd(o3, { ...withReasoning, reasoningTokens: 0 }))
  })

  it('prices the whole request at the tier its prompt reaches, cache reads included', () => {
    const gemini: Pricing = { input: 1.25, cachedInput: 0.125, output: 10, tiers: [{ aboveTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 }] }
    const u = usage({ promptTokens: 250_000, cachedTokens: 50_000, completionTokens: 1000 })
    expect(costNanoUsd(gemini, u)).toBe(500_000_000 + 12_500_000 + 15_000_000)
    expect(costNanoUsd(gemini, { ...u, promptTokens: 200_000 })).toBe(187_500_000 + 6_250_000 + 10_000_000)
  })

  it('sums fractions of a nano-dollar exactly and rounds the request once, half up', () => {
    // $0.0375/1M is 37.5 nano-dollars a token: half a nano-dollar rounds up, once per request.
    const flash: Pricing = { input: 0.075, cachedInput: 0.0375, cacheWrite: 0.0375, output: 0.3 }
    expect(costNanoUsd(flash, usage({ promptTokens: 1, cachedTokens: 1 }))).toBe(38)
    expect(costNanoUsd(flash, usage({ promptTokens: 3, cachedTokens: 3 }))).toBe(113)
    // Two lines of 37.5: 75 in all, where rounding each line would make 76.
    expect(costNanoUsd(flash, usage({ promptTokens: 2, cachedTokens: 1, cacheWriteTokens: 1 }))).toBe(75)
    // Prices that floating point cannot hold exactly: 0.1 + 0.2 per 1M.
    expect(costNanoUsd({ input: 0.1, output: 0.2 }, usage({ promptTokens: 3_000_000, completionTokens: 3_000_000 }))).toBe(900_000_000)
  })
})

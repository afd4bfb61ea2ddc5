// A request's cost from its usage and the registry's prices (USD per 1M tokens): long-context tiers,
// cache reads and writes, reasoning tokens (part of the completion) and no usage at all.
import { describe, expect, it } from 'vitest'
import { costUsd, pricesFor, type TokenUsage, ZERO_USAGE } from '../../server/utils/registry/cost'
import type { Pricing } from '../../server/utils/registry/schema'

const usage = (over: Partial<TokenUsage>): TokenUsage => ({ ...ZERO_USAGE, ...over })

describe('pricesFor', () => {
  const tiered: Pricing = {
    input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 4,
    tiers: [{ aboveTokens: 272_000, input: 3, output: 9 }, { aboveTokens: 128_000, input: 2, cachedInput: 0.2, output: 8 }],
  }

  it('takes the base prices up to and at a tier\'s threshold', () => {
    expect(pricesFor(tiered, 0)).toEqual({ input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 4 })
    expect(pricesFor(tiered, 128_000)).toEqual({ input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 4 })
  })

  it('takes the highest tier the prompt exceeds, whatever their order', () => {
    expect(pricesFor(tiered, 128_001)).toEqual({ input: 2, cachedInput: 0.2, cacheWrite: 1.25, output: 8 })
    expect(pricesFor(tiered, 272_001)).toEqual({ input: 3, cachedInput: 0.1, cacheWrite: 1.25, output: 9 })
  })

  it('leaves the cache prices unset where the registry has none', () => {
    expect(pricesFor({ input: 0.02, output: 0 }, 10)).toEqual({ input: 0.02, cachedInput: undefined, cacheWrite: undefined, output: 0 })
  })
})

describe('costUsd', () => {
  const claude: Pricing = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 }

  it('costs nothing without usage', () => {
    expect(costUsd(claude, ZERO_USAGE)).toBe(0)
  })

  it('prices prompt and completion tokens per million', () => {
    expect(costUsd(claude, usage({ promptTokens: 1_000_000 }))).toBeCloseTo(3, 12)
    expect(costUsd(claude, usage({ promptTokens: 2000, completionTokens: 500 }))).toBeCloseTo((2000 * 3 + 500 * 15) / 1e6, 15)
  })

  it('prices cache reads and writes apart from the rest of the prompt', () => {
    // 10 000 prompt tokens: 6000 read from the cache, 3000 written to it, 1000 neither.
    const u = usage({ promptTokens: 10_000, cachedTokens: 6000, cacheWriteTokens: 3000, completionTokens: 100 })
    expect(costUsd(claude, u)).toBeCloseTo((1000 * 3 + 6000 * 0.3 + 3000 * 3.75 + 100 * 15) / 1e6, 15)
  })

  it('prices cached tokens at the input price when the model has no cache price', () => {
    const plain: Pricing = { input: 0.5, output: 1.5 }
    expect(costUsd(plain, usage({ promptTokens: 1000, cachedTokens: 400, cacheWriteTokens: 100 }))).toBeCloseTo(1000 * 0.5 / 1e6, 15)
  })

  it('never charges a negative uncached part when the cache counts exceed the prompt', () => {
    expect(costUsd(claude, usage({ promptTokens: 100, cachedTokens: 80, cacheWriteTokens: 40 }))).toBeCloseTo((80 * 0.3 + 40 * 3.75) / 1e6, 15)
  })

  it('counts reasoning tokens once, inside the completion', () => {
    const o3: Pricing = { input: 2, cachedInput: 0.5, output: 8 }
    const withReasoning = usage({ promptTokens: 100, completionTokens: 900, reasoningTokens: 800 })
    expect(costUsd(o3, withReasoning)).toBeCloseTo((100 * 2 + 900 * 8) / 1e6, 15)
    expect(costUsd(o3, withReasoning)).toBe(costUsd(o3, { ...withReasoning, reasoningTokens: 0 }))
  })

  it('prices the whole request at the tier its prompt reaches, cache reads included', () => {
    const gemini: Pricing = { input: 1.25, cachedInput: 0.125, output: 10, tiers: [{ aboveTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 }] }
    const u = usage({ promptTokens: 250_000, cachedTokens: 50_000, completionTokens: 1000 })
    expect(costUsd(gemini, u)).toBeCloseTo((200_000 * 2.5 + 50_000 * 0.25 + 1000 * 15) / 1e6, 15)
    expect(costUsd(gemini, { ...u, promptTokens: 200_000 })).toBeCloseTo((150_000 * 1.25 + 50_000 * 0.125 + 1000 * 10) / 1e6, 15)
  })
})

// A request's cost in nano-dollars from its usage and the registry's prices (USD per 1M tokens):
// long-context tiers, cache reads and 5-minute and 1-hour writes, reasoning tokens (part of the completion) and no usage at all.
import { describe, expect, it } from 'vitest'
import { costLines, costNanoUsd, pricesFor, pricingAt, type TokenUsage, ZERO_USAGE } from '../../server/utils/registry/cost'
import { Pricing as PricingSchema, type Pricing } from '../../server/utils/registry/schema'

/** The time requests are made at, unless a test says otherwise. */
const AT = Date.UTC(2026, 10, 26, 12)
const nano = (p: Pricing, u: TokenUsage, at = AT) => costNanoUsd(p, u, at)
const prices = (p: Pricing, promptTokens: number, at = AT) => pricesFor(p, promptTokens, at)
const lines = (p: Pricing, u: TokenUsage, at = AT) => costLines(p, u, at)
const usage = (over: Partial<TokenUsage>): TokenUsage => ({ ...ZERO_USAGE, ...over })

describe('pricesFor', () => {
  const tiered: Pricing = {
    input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 4,
    tiers: [{ aboveTokens: 272_000, input: 3, output: 9 }, { aboveTokens: 128_000, input: 2, cachedInput: 0.2, output: 8 }],
  }

  it('takes the base prices up to and at a tier\'s threshold', () => {
    expect(prices(tiered, 0)).toEqual({ input: 1, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: undefined, output: 4 })
    expect(prices(tiered, 128_000)).toEqual({ input: 1, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: undefined, output: 4 })
  })

  it('takes the highest tier the prompt exceeds, whatever their order', () => {
    expect(prices(tiered, 128_001)).toEqual({ input: 2, cachedInput: 0.2, cacheWrite: 1.25, cacheWrite1h: undefined, output: 8 })
    expect(prices(tiered, 272_001)).toEqual({ input: 3, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: undefined, output: 9 })
  })

  it('takes a tier\'s own cache-write price above its threshold (OpenAI\'s long-context cache writes)', () => {
    const sol: Pricing = { input: 4, cachedInput: 0.4, cacheWrite: 5, output: 20, tiers: [{ aboveTokens: 272_000, input: 8, cachedInput: 0.8, cacheWrite: 10, output: 30 }] }
    expect(prices(sol, 272_000).cacheWrite).toBe(5)
    expect(prices(sol, 272_001).cacheWrite).toBe(10)
  })

  it('leaves the cache prices unset where the registry has none', () => {
    expect(prices({ input: 0.02, output: 0 }, 10)).toEqual({ input: 0.02, cachedInput: undefined, cacheWrite: undefined, cacheWrite1h: undefined, output: 0 })
  })
})

describe('costNanoUsd', () => {
  const claude: Pricing = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 }

  it('costs nothing without usage', () => {
    expect(nano(claude, ZERO_USAGE)).toBe(0)
  })

  it('prices prompt and completion tokens per million, in whole nano-dollars', () => {
    expect(nano(claude, usage({ promptTokens: 1_000_000 }))).toBe(3_000_000_000)
    // 2000 × $3/1M = $0.006, 500 × $15/1M = $0.0075.
    expect(nano(claude, usage({ promptTokens: 2000, completionTokens: 500 }))).toBe(13_500_000)
  })

  it('prices cache reads and writes apart from the rest of the prompt, 1-hour writes at their own price', () => {
    // 10 000 prompt tokens: 6000 read from the cache, 3000 written to it (1000 of them for 1 hour), 1000 neither.
    const u = usage({ promptTokens: 10_000, cachedTokens: 6000, cacheWriteTokens: 3000, cacheWrite1hTokens: 1000, completionTokens: 100 })
    // 1000 × 3000 + 6000 × 300 + 2000 × 3750 + 1000 × 6000 + 100 × 15 000 nano-dollars per 1000 tokens.
    expect(nano(claude, u)).toBe(3_000_000 + 1_800_000 + 7_500_000 + 6_000_000 + 1_500_000)
    expect(lines(claude, u)).toEqual([
      { class: 'input', tokens: 1000, usdPerMillion: 3 },
      { class: 'cachedInput', tokens: 6000, usdPerMillion: 0.3 },
      { class: 'cacheWrite', tokens: 2000, usdPerMillion: 3.75 },
      { class: 'cacheWrite1h', tokens: 1000, usdPerMillion: 6 },
      { class: 'output', tokens: 100, usdPerMillion: 15 },
    ])
  })

  it('prices 1-hour writes at the 5-minute price when the registry has no 1-hour price', () => {
    const { cacheWrite1h: _, ...older } = claude
    expect(nano(older, usage({ promptTokens: 1000, cacheWriteTokens: 1000, cacheWrite1hTokens: 1000 }))).toBe(3_750_000)
  })

  it('prices cached tokens at the input price when the model has no cache price', () => {
    const plain: Pricing = { input: 0.5, output: 1.5 }
    expect(nano(plain, usage({ promptTokens: 1000, cachedTokens: 400, cacheWriteTokens: 100 }))).toBe(500_000)
  })

  it('never charges a negative uncached part when the cache counts exceed the prompt', () => {
    expect(nano(claude, usage({ promptTokens: 100, cachedTokens: 80, cacheWriteTokens: 40 }))).toBe(24_000 + 150_000)
  })

  it('counts reasoning tokens once, inside the completion', () => {
    const o3: Pricing = { input: 2, cachedInput: 0.5, output: 8 }
    const withReasoning = usage({ promptTokens: 100, completionTokens: 900, reasoningTokens: 800 })
    expect(nano(o3, withReasoning)).toBe(200_000 + 7_200_000)
    expect(nano(o3, withReasoning)).toBe(nano(o3, { ...withReasoning, reasoningTokens: 0 }))
  })

  it('prices the whole request at the tier its prompt reaches, cache reads included', () => {
    const gemini: Pricing = { input: 1.25, cachedInput: 0.125, output: 10, tiers: [{ aboveTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 }] }
    const u = usage({ promptTokens: 250_000, cachedTokens: 50_000, completionTokens: 1000 })
    expect(nano(gemini, u)).toBe(500_000_000 + 12_500_000 + 15_000_000)
    expect(nano(gemini, { ...u, promptTokens: 200_000 })).toBe(187_500_000 + 6_250_000 + 10_000_000)
  })

  it('sums fractions of a nano-dollar exactly and rounds the request once, half up', () => {
    // $0.0375/1M is 37.5 nano-dollars a token: half a nano-dollar rounds up, once per request.
    const flash: Pricing = { input: 0.075, cachedInput: 0.0375, cacheWrite: 0.0375, output: 0.3 }
    expect(nano(flash, usage({ promptTokens: 1, cachedTokens: 1 }))).toBe(38)
    expect(nano(flash, usage({ promptTokens: 3, cachedTokens: 3 }))).toBe(113)
    // Two lines of 37.5: 75 in all, where rounding each line would make 76.
    expect(nano(flash, usage({ promptTokens: 2, cachedTokens: 1, cacheWriteTokens: 1 }))).toBe(75)
    // Prices that floating point cannot hold exactly: 0.1 + 0.2 per 1M.
    expect(nano({ input: 0.1, output: 0.2 }, usage({ promptTokens: 3_000_000, completionTokens: 3_000_000 }))).toBe(900_000_000)
  })
})

describe('scheduled prices', () => {
  // Gemini 3.6 Flash on the saved page: $0.75 input, $0.075 cached, $3.75 output per 1M through
  // December 31, 2026; $1.50, $0.15 and $7.50 starting January 1, 2027 (UTC).
  const flash: Pricing = {
    input: 0.75, cachedInput: 0.075, output: 3.75,
    schedule: [{ from: '2027-01-01T00:00:00.000Z', input: 1.5, cachedInput: 0.15, output: 7.5 }],
  }
  const u = usage({ promptTokens: 1000, cachedTokens: 200, completionTokens: 100 })

  it('bills the price in force at the request\'s time, switching on the scheduled date', () => {
    expect(nano(flash, u, Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe(800 * 750 + 200 * 75 + 100 * 3750)
    expect(nano(flash, u, Date.UTC(2027, 0, 1))).toBe(800 * 1500 + 200 * 150 + 100 * 7500)
    expect(pricingAt(flash, Date.UTC(2030, 0, 1))).toMatchObject({ input: 1.5, output: 7.5 })
  })

  it('takes the last entry that has begun, tiers and all', () => {
    const stepped: Pricing = {
      input: 1, output: 2,
      schedule: [
        { from: '2027-01-01T00:00:00.000Z', input: 3, output: 4, tiers: [{ aboveTokens: 100, input: 30, output: 40 }] },
        { from: '2027-06-01T00:00:00.000Z', input: 5, output: 6 },
      ],
    }
    expect(prices(stepped, 101, Date.UTC(2026, 11, 1))).toMatchObject({ input: 1, output: 2 })
    expect(prices(stepped, 101, Date.UTC(2027, 2, 1))).toMatchObject({ input: 30, output: 40 })
    expect(prices(stepped, 101, Date.UTC(2027, 5, 1))).toMatchObject({ input: 5, output: 6 })
  })

  it('refuses a schedule out of order', () => {
    const entry = (from: string) => ({ from, input: 1, output: 1 })
    expect(PricingSchema.safeParse({ input: 1, output: 1, schedule: [entry('2027-02-01T00:00:00Z'), entry('2027-01-01T00:00:00Z')] }).success).toBe(false)
    expect(PricingSchema.safeParse({ input: 1, output: 1, schedule: [entry('2027-01-01T00:00:00Z'), entry('2027-02-01T00:00:00Z')] }).success).toBe(true)
  })
})

describe('service tiers and audio', () => {
  const sol: Pricing = {
    input: 4, cachedInput: 0.4, cacheWrite: 5, output: 20, tiers: [{ aboveTokens: 272_000, input: 8, output: 30 }],
    serviceTiers: { flex: { input: 2, cachedInput: 0.2, output: 10, tiers: [{ aboveTokens: 272_000, input: 4, output: 15 }] }, priority: { input: 8, output: 40 } },
    schedule: [{ from: '2027-01-01T00:00:00.000Z', input: 4, output: 20, serviceTiers: { flex: { input: 3, output: 12 } } }],
  }

  it('takes the tier\'s own prices, long context included, and standard for a tier the registry does not price', () => {
    expect(prices(sol, 1000)).toMatchObject({ input: 4, output: 20 })
    expect(pricesFor(sol, 1000, AT, 'flex')).toMatchObject({ input: 2, cachedInput: 0.2, output: 10 })
    expect(pricesFor(sol, 300_000, AT, 'flex')).toMatchObject({ input: 4, cachedInput: 0.2, output: 15 })
    expect(pricesFor(sol, 1000, AT, 'batch')).toMatchObject({ input: 4, output: 20 })
    // A tier's missing cache price is its own input price, not standard's cached price.
    expect(lines(sol, usage({ promptTokens: 100, cachedTokens: 50, serviceTier: 'priority' }))).toEqual([
      { class: 'input', tokens: 50, usdPerMillion: 8 }, { class: 'cachedInput', tokens: 50, usdPerMillion: 8 },
    ])
  })

  it('takes the tier\'s scheduled price from its date', () => {
    expect(pricesFor(sol, 1000, Date.UTC(2027, 0, 1), 'flex')).toMatchObject({ input: 3, output: 12 })
  })

  it('bills audio tokens apart only where audio is priced apart', () => {
    const flash: Pricing = { input: 0.3, cachedInput: 0.03, audioInput: 1, audioCachedInput: 0.1, output: 2.5 }
    const u = usage({ promptTokens: 1000, cachedTokens: 300, audioTokens: 500, cachedAudioTokens: 100, completionTokens: 10 })
    expect(lines(flash, u)).toEqual([
      { class: 'input', tokens: 300, usdPerMillion: 0.3 },
      { class: 'cachedInput', tokens: 200, usdPerMillion: 0.03 },
      { class: 'audioInput', tokens: 400, usdPerMillion: 1 },
      { class: 'audioCachedInput', tokens: 100, usdPerMillion: 0.1 },
      { class: 'output', tokens: 10, usdPerMillion: 2.5 },
    ])
    expect(lines({ input: 0.3, cachedInput: 0.03, output: 2.5 }, u)).toEqual([
      { class: 'input', tokens: 700, usdPerMillion: 0.3 },
      { class: 'cachedInput', tokens: 300, usdPerMillion: 0.03 },
      { class: 'output', tokens: 10, usdPerMillion: 2.5 },
    ])
  })
})

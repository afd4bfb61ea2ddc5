// The budget's maths with injected values: the completion cap a call is sent and reserves for, the
// most a call can cost, the admission rule and its refusals, and the in-memory ledger kept per key id.
import { describe, expect, it } from 'vitest'
import { budgetRefusal, fitsBudget, reserveBudget, settleBudget } from '../../server/utils/gateway/budget'
import { completionCap, estimateCostNanoUsd } from '../../server/utils/gateway/budget-estimate'
import type { ModelEntry } from '../../server/utils/registry/schema'
import type { GatewayKey } from '../../server/utils/store/keys'
import { gatewayKey } from '../helpers/gateway-key'

const claude: ModelEntry = {
  id: 'claude-x', provider: 'anthropic', mode: 'chat', pricing: { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  maxOutputTokens: 64_000, aliases: [], status: 'active', source: 'seed', updatedAt: '2026-11-26T00:00:00.000Z',
}

const USD = 1_000_000_000
const AT = Date.UTC(2026, 10, 26)
const key = (over: Partial<GatewayKey> = {}) => gatewayKey({ budgetNanoUsd: USD, ...over })

describe('completionCap', () => {
  it('keeps the client\'s cap, lowered to the model\'s limit', () => {
    expect(completionCap(claude, 500, 4096)).toBe(500)
    expect(completionCap(claude, 500, undefined)).toBe(500)
    expect(completionCap(claude, 200_000, 4096)).toBe(64_000)
    expect(completionCap(claude, 0, 4096)).toBe(0)
  })

  it('uses the fallback when the client set none, never above the limit; none without a fallback', () => {
    expect(completionCap(claude, undefined, 4096)).toBe(4096)
    expect(completionCap(claude, null, 100_000)).toBe(64_000)
    expect(completionCap(claude, undefined, undefined)).toBeUndefined()
    expect(completionCap({ ...claude, maxOutputTokens: undefined }, 200_000, 4096)).toBe(200_000)
  })
})

describe('estimateCostNanoUsd', () => {
  it('counts the prompt at 3 characters a token at its dearest price, and every choice at the cap', () => {
    // 3000 characters → 1000 tokens at the cache-write price (1.25 > 1); 2 choices × 100 tokens at 5.
    expect(estimateCostNanoUsd(claude, 3000, 100, 2, AT)).toBe(1_250_000 + 1_000_000)
    expect(estimateCostNanoUsd(claude, 3001, 100, 1, AT)).toBe(1_251_250 + 500_000)
    // A 1-hour write price (2× input) is dearer still.
    expect(estimateCostNanoUsd({ ...claude, pricing: { ...claude.pricing!, cacheWrite1h: 2 } }, 3000, 100, 1, AT)).toBe(2_000_000 + 500_000)
    const plain = { ...claude, pricing: { input: 0.15, output: 0.6 } }
    expect(estimateCostNanoUsd(plain, 300, 4096, 128, AT)).toBe(15_000 + 314_572_800)
  })

  it('prices a prompt past a long-context threshold at its tier, and embeddings without a completion', () => {
    const tiered = { ...claude, pricing: { input: 1, output: 5, tiers: [{ aboveTokens: 1000, input: 2, output: 10 }] } }
    expect(estimateCostNanoUsd(tiered, 3000, 10, 1, AT)).toBe(1_000_000 + 50_000)
    expect(estimateCostNanoUsd(tiered, 3003, 10, 1, AT)).toBe(2_002_000 + 100_000)
    expect(estimateCostNanoUsd({ ...claude, mode: 'embedding' }, 3000, 4096, 1, AT)).toBe(1_250_000)
  })

  it('reserves at the tier and geography the client asked for, and at audio input where that is dearer', () => {
    // gpt-4.1: standard $2 / $8, Priority $3.50 / $14 (per 1M); 1000 prompt tokens and 100 completion.
    const gpt41 = { ...claude, pricing: { input: 2, output: 8, serviceTiers: { priority: { input: 3.5, output: 14 } } } }
    expect(estimateCostNanoUsd(gpt41, 3000, 100, 1, AT)).toBe(2_000_000 + 800_000)
    expect(estimateCostNanoUsd(gpt41, 3000, 100, 1, AT, { tier: 'priority' })).toBe(3_500_000 + 1_400_000)
    const us = { ...claude, pricing: { input: 1, output: 5, geoMultipliers: { us: 1.1 } } }
    expect(estimateCostNanoUsd(us, 3000, 100, 1, AT, { geo: 'us' })).toBe(1_100_000 + 550_000)
    expect(estimateCostNanoUsd(us, 3000, 100, 1, AT, { geo: 'global' })).toBe(1_000_000 + 500_000)
    const audio = { ...claude, pricing: { input: 0.3, audioInput: 1, output: 2.5 } }
    expect(estimateCostNanoUsd(audio, 3000, 100, 1, AT)).toBe(1_000_000 + 250_000)
  })
})

describe('admission', () => {
  it('admits only when spend, reservations held and the amount itself fit in the budget', () => {
    expect(fitsBudget(500, 250, 250, 1000)).toBe(true)
    expect(fitsBudget(500, 250, 251, 1000)).toBe(false)
    expect(fitsBudget(0, 0, 1001, 1000)).toBe(false)
    expect(fitsBudget(0, 0, 0, 0)).toBe(true)
  })

  it('says why a request is refused', () => {
    const spent = budgetRefusal(USD, 1.2 * USD, 0, 0.1 * USD)
    expect(spent).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'budget_exceeded' })
    expect(spent.message).toBe('This API key has used its budget of $1.')
    expect(budgetRefusal(10_000_000, 2_000_000, 0, 314_600_000).message).toBe('This request could cost up to $0.3146, more than the $0.008 left of this API key\'s budget of $0.01. Set a lower max_tokens (or n).')
    expect(budgetRefusal(USD, 200_000_000, 700_000_000, 200_000_000).message).toContain('reserved by its requests in progress')
  })
})

describe('the in-memory ledger', () => {
  it('holds reservations until they settle, then charges the real cost', async () => {
    const k = key({ budgetNanoUsd: USD })
    const first = await reserveBudget(k, 600_000_000)
    expect(first).toBe(600_000_000)
    await expect(reserveBudget(k, 600_000_000)).rejects.toMatchObject({ code: 'budget_exceeded' })
    settleBudget(k, first, 100_000_000)
    expect(await reserveBudget(k, 900_000_000)).toBe(900_000_000)
    await expect(reserveBudget(k, 1)).rejects.toMatchObject({ code: 'budget_exceeded' })
  })

  it('adds charges of a fraction of a cent exactly: a budget of 3 × 0.1 holds three requests of 0.1', async () => {
    // In dollars, 0.1 + 0.1 + 0.1 > 0.3, and the third request would be refused.
    const k = key({ budgetNanoUsd: 300_000_000 })
    for (let i = 0; i < 3; i++) settleBudget(k, await reserveBudget(k, 100_000_000), 100_000_000)
    await expect(reserveBudget(k, 1)).rejects.toMatchObject({ code: 'budget_exceeded' })
  })

  it('keeps spend per key id: a key object read again (after an edit) sees what the old one spent', async () => {
    const before = key({ budgetNanoUsd: USD, spentNanoUsd: 200_000_000 })
    settleBudget(before, await reserveBudget(before, 500_000_000), 500_000_000)
    // The database has not seen the spend yet: the new object still says 0.2.
    const after = { ...before, budgetNanoUsd: 1_200_000_000 }
    await expect(reserveBudget(after, 600_000_000)).rejects.toMatchObject({ code: 'budget_exceeded' })
    expect(await reserveBudget(after, 500_000_000)).toBe(500_000_000)
  })

  it('holds nothing for a key without a budget, but still counts its spend for a budget set later', async () => {
    const free = key({ budgetNanoUsd: null })
    expect(await reserveBudget(free, 5 * USD)).toBe(0)
    settleBudget(free, 0, 750_000_000)
    await expect(reserveBudget({ ...free, budgetNanoUsd: USD }, 300_000_000)).rejects.toMatchObject({ code: 'budget_exceeded' })
  })
})

// The budget's maths with injected values: the completion cap a call is sent and reserves for, the
// most a call can cost, the admission rule and its refusals, and the in-memory ledger kept per key id.
import { describe, expect, it } from 'vitest'
import { budgetRefusal, fitsBudget, reserveBudget, settleBudget } from '../../server/utils/gateway/budget'
import { completionCap, estimateCostUsd } from '../../server/utils/gateway/budget-estimate'
import type { ModelEntry } from '../../server/utils/registry/schema'
import type { GatewayKey } from '../../server/utils/store/keys'
import { gatewayKey } from '../helpers/gateway-key'

const claude: ModelEntry = {
  id: 'claude-x', provider: 'anthropic', mode: 'chat', pricing: { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  maxOutputTokens: 64_000, aliases: [], status: 'active', source: 'seed', updatedAt: '2026-11-26T00:00:00.000Z',
}

const key = (over: Partial<GatewayKey> = {}) => gatewayKey({ budgetUsd: 1, ...over })

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

describe('estimateCostUsd', () => {
  it('counts the prompt at 3 characters a token at its dearest price, and every choice at the cap', () => {
    // 3000 characters → 1000 tokens at the cache-write price (1.25 > 1); 2 choices × 100 tokens at 5.
    expect(estimateCostUsd(claude, 3000, 100, 2)).toBeCloseTo((1000 * 1.25 + 200 * 5) / 1e6, 15)
    expect(estimateCostUsd(claude, 3001, 100, 1)).toBeCloseTo((1001 * 1.25 + 100 * 5) / 1e6, 15)
    const plain = { ...claude, pricing: { input: 0.15, output: 0.6 } }
    expect(estimateCostUsd(plain, 300, 4096, 128)).toBeCloseTo((100 * 0.15 + 4096 * 128 * 0.6) / 1e6, 15)
  })

  it('prices a prompt past a long-context threshold at its tier, and embeddings without a completion', () => {
    const tiered = { ...claude, pricing: { input: 1, output: 5, tiers: [{ aboveTokens: 1000, input: 2, output: 10 }] } }
    expect(estimateCostUsd(tiered, 3000, 10, 1)).toBeCloseTo((1000 * 1 + 10 * 5) / 1e6, 15)
    expect(estimateCostUsd(tiered, 3003, 10, 1)).toBeCloseTo((1001 * 2 + 10 * 10) / 1e6, 15)
    expect(estimateCostUsd({ ...claude, mode: 'embedding' }, 3000, 4096, 1)).toBeCloseTo(1000 * 1.25 / 1e6, 15)
  })
})

describe('admission', () => {
  it('admits only when spend, reservations held and the amount itself fit in the budget', () => {
    expect(fitsBudget(0.5, 0.25, 0.25, 1)).toBe(true)
    expect(fitsBudget(0.5, 0.25, 0.26, 1)).toBe(false)
    expect(fitsBudget(0, 0, 1.01, 1)).toBe(false)
    expect(fitsBudget(0, 0, 0, 0)).toBe(true)
  })

  it('says why a request is refused', () => {
    const spent = budgetRefusal(1, 1.2, 0, 0.1)
    expect(spent).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'budget_exceeded' })
    expect(spent.message).toBe('This API key has used its budget of $1.')
    expect(budgetRefusal(0.01, 0.002, 0, 0.3146).message).toBe('This request could cost up to $0.3146, more than the $0.008 left of this API key\'s budget of $0.01. Set a lower max_tokens (or n).')
    expect(budgetRefusal(1, 0.2, 0.7, 0.2).message).toContain('reserved by its requests in progress')
  })
})

describe('the in-memory ledger', () => {
  it('holds reservations until they settle, then charges the real cost', async () => {
    const k = key({ budgetUsd: 1 })
    const first = await reserveBudget(k, 0.6)
    expect(first).toBe(0.6)
    await expect(reserveBudget(k, 0.6)).rejects.toMatchObject({ code: 'budget_exceeded' })
    settleBudget(k, first, 0.1)
    expect(await reserveBudget(k, 0.9)).toBe(0.9)
    await expect(reserveBudget(k, 0.01)).rejects.toMatchObject({ code: 'budget_exceeded' })
  })

  it('keeps spend per key id: a key object read again (after an edit) sees what the old one spent', async () => {
    const before = key({ budgetUsd: 1, spentUsd: 0.2 })
    settleBudget(before, await reserveBudget(before, 0.5), 0.5)
    // The database has not seen the spend yet: the new object still says 0.2.
    const after = { ...before, budgetUsd: 1.2 }
    await expect(reserveBudget(after, 0.6)).rejects.toMatchObject({ code: 'budget_exceeded' })
    expect(await reserveBudget(after, 0.5)).toBe(0.5)
  })

  it('holds nothing for a key without a budget, but still counts its spend for a budget set later', async () => {
    const free = key({ budgetUsd: null })
    expect(await reserveBudget(free, 5)).toBe(0)
    settleBudget(free, 0, 0.75)
    await expect(reserveBudget({ ...free, budgetUsd: 1 }, 0.3)).rejects.toMatchObject({ code: 'budget_exceeded' })
  })
})

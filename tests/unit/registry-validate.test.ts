// The checks a parsed page passes before it may change the registry: a price that moves more than
// 20× in one update, in any class, tier, schedule entry or fee, is taken for a parse error and the
// provider's page is refused (flagged in the update summary, nothing applied).
import { describe, expect, it } from 'vitest'
import type { ModelEntry, ParsedModel, Pricing } from '../../server/utils/registry/schema'
import { refuseReason } from '../../server/utils/registry/validate'

const entry = (pricing: Pricing, over: Partial<ModelEntry> = {}): ModelEntry =>
  ({ id: 'gpt-5.6-sol', provider: 'openai', mode: 'chat', pricing, aliases: [], status: 'active', source: 'seed', updatedAt: '2026-11-26T00:00:00.000Z', ...over })
const parsed = (pricing: Pricing): ParsedModel[] => [{ id: 'gpt-5.6-sol', mode: 'chat', pricing }]

const SOL: Pricing = { input: 4, cachedInput: 0.4, output: 20, serviceTiers: { flex: { input: 2, cachedInput: 0.2, output: 10 } } }

describe('refuseReason: price jumps', () => {
  it('lets a price move up to 20× in either direction', () => {
    expect(refuseReason('openai', parsed({ ...SOL, input: 80 }), [entry(SOL)])).toBeUndefined()
    expect(refuseReason('openai', parsed({ ...SOL, output: 1 }), [entry(SOL)])).toBeUndefined()
  })

  it.each([
    ['the standard input', { ...SOL, input: 80.01 }, 'input from 4 to 80.01'],
    ['a cached price', { ...SOL, cachedInput: 0.01 }, 'cachedInput from 0.4 to 0.01'],
    ['a service tier\'s price', { ...SOL, serviceTiers: { flex: { input: 2, cachedInput: 0.2, output: 1000 } } }, 'serviceTiers.flex.output from 10 to 1000'],
  ])('refuses %s moving more than 20×, naming it', (_name, next, named) => {
    expect(refuseReason('openai', parsed(next as Pricing), [entry(SOL)])).toBe(`implausible change for gpt-5.6-sol: ${named} (more than 20×); not applied`)
  })

  it('compares with the scraped price of a model under a manual price', () => {
    const manual = entry({ input: 400, output: 20 }, { source: 'manual', scrapedPricing: SOL })
    expect(refuseReason('openai', parsed(SOL), [manual])).toBeUndefined()
    expect(refuseReason('openai', parsed({ ...SOL, input: 400 }), [manual])).toMatch(/input from 4 to 400/)
  })
})

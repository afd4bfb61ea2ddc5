// A compatible server's refusal names the field to stop sending; a model's price source gives the
// prices it is billed at.
import { describe, expect, it } from 'vitest'
import { unsupportedField } from '../../server/utils/providers/openai-compatible/unsupported-field'
import { effectivePricing, scalePricing } from '../../server/utils/registry/price-source'
import type { ModelEntry } from '../../server/utils/registry/schema'

describe('unsupportedField', () => {
  const sent = JSON.stringify({ model: 'm', messages: [], stream: true, stream_options: { include_usage: true }, parallel_tool_calls: false, tools: [] })
  it.each([
    ['vLLM', '[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted"}]', 'stream_options'],
    ['OpenAI-style', 'Unrecognized request argument supplied: parallel_tool_calls', 'parallel_tool_calls'],
    ['Rust servers', 'Failed to deserialize the JSON body: unknown field `parallel_tool_calls`', 'parallel_tool_calls'],
    ['a plain sentence', 'parallel_tool_calls is not supported by this model', 'parallel_tool_calls'],
  ])('reads %s', (_name, message, field) => {
    expect(unsupportedField(`The provider rejected the request: ${message}`, sent)).toBe(field)
  })

  it('drops nothing for other refusals, for fields not sent, or for fields a request needs', () => {
    expect(unsupportedField('tools must be an array of at most 128 tools', sent)).toBeUndefined()
    expect(unsupportedField('Unrecognized request argument supplied: service_tier', sent)).toBeUndefined()
    expect(unsupportedField('unknown field `messages`, expected one of …', sent)).toBeUndefined()
    expect(unsupportedField('unknown field stream', sent)).toBeUndefined()
  })
})

describe('effectivePricing', () => {
  const entry = (over: Partial<ModelEntry>): ModelEntry => ({ id: 'c/m', provider: 'c', mode: 'chat', aliases: [], status: 'active', source: 'manual', updatedAt: '', ...over })
  const base = entry({ id: 'gpt', provider: 'openai', pricing: { input: 2.5, cachedInput: 1.25, output: 10, tiers: [{ aboveTokens: 200_000, input: 5, output: 20 }], schedule: [{ from: '2027-01-01T00:00:00Z', input: 3, output: 12 }] } })
  const find = (id: string) => (id === 'gpt' ? base : id === 'c/free' ? entry({ id: 'c/free', free: true }) : undefined)

  it('takes the model\'s own price, zero when free, none when unpriced', () => {
    expect(effectivePricing(base, find)).toBe(base.pricing)
    expect(effectivePricing(entry({ free: true }), find)).toEqual({ input: 0, output: 0 })
    expect(effectivePricing(entry({}), find)).toBeUndefined()
  })

  it('multiplies every price of the model it is priced as, tiers and schedule included', () => {
    expect(effectivePricing(entry({ priceAs: { model: 'gpt', multiplier: 2 } }), find)).toEqual({
      input: 5, cachedInput: 2.5, output: 20, tiers: [{ aboveTokens: 200_000, input: 10, output: 40 }], schedule: [{ from: '2027-01-01T00:00:00Z', input: 6, output: 24 }],
    })
    expect(effectivePricing(entry({ priceAs: { model: 'c/free', multiplier: 3 } }), find)).toEqual({ input: 0, output: 0 })
  })

  it('multiplies the other service tiers, audio prices and tool fees too, and leaves geography multipliers', () => {
    const rich = {
      input: 1, audioInput: 4, output: 2, audioOutput: 8,
      serviceTiers: { flex: { input: 0.5, output: 1, tiers: [{ aboveTokens: 1000, input: 1, output: 2 }] } },
      schedule: [{ from: '2027-01-01T00:00:00Z', input: 2, output: 4, serviceTiers: { batch: { input: 1, output: 2 } } }],
      toolFees: { webSearch: 10 },
      geoMultipliers: { us: 1.1 },
    }
    expect(scalePricing(rich, 2)).toEqual({
      input: 2, audioInput: 8, output: 4, audioOutput: 16,
      serviceTiers: { flex: { input: 1, output: 2, tiers: [{ aboveTokens: 1000, input: 2, output: 4 }] } },
      schedule: [{ from: '2027-01-01T00:00:00Z', input: 4, output: 8, serviceTiers: { batch: { input: 2, output: 4 } } }],
      toolFees: { webSearch: 20 },
      geoMultipliers: { us: 1.1 },
    })
  })

  it('follows one step only, and nothing that is not there', () => {
    const chained = entry({ id: 'c/x', priceAs: { model: 'c/y', multiplier: 1 } })
    expect(effectivePricing(chained, id => (id === 'c/y' ? entry({ id: 'c/y', priceAs: { model: 'gpt', multiplier: 1 } }) : undefined))).toBeUndefined()
    expect(effectivePricing(entry({ priceAs: { model: 'nope', multiplier: 1 } }), find)).toBeUndefined()
    expect(scalePricing(base.pricing!, 1)).toBe(base.pricing)
  })
})

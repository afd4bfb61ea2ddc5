import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePricingPage } from '../../server/utils/registry/parsers'
import { parsePrice, priceSegments, PricingParseError } from '../../server/utils/registry/parsers/common'
import { buildSeedRegistry, readSavedPages } from '../../server/utils/registry/seed'
import { type ParsedModel, PROVIDERS, type ProviderId, Registry } from '../../server/utils/registry/schema'

// Saved copies of the real pages, kept next to the repository (see SOURCES.md there).
const SHARED = path.resolve(__dirname, '../../../shared/fixtures/pricing')
const REPO = path.resolve(__dirname, '../fixtures/pricing')
const sharedMissing = !existsSync(SHARED)
const sharedTitle = sharedMissing ? `saved real pricing pages (skipped: shared fixtures missing at ${SHARED})` : 'saved real pricing pages'

// The Gemini page announces dated price changes; tests pin the moment prices are read at.
const NOW = new Date('2026-11-26T12:00:00Z')

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8')
}

/** The models of a page with all their prices, service tiers included. */
function parseAll(provider: ProviderId, dir: string, file: string, now = NOW): Map<string, ParsedModel> {
  const models = parsePricingPage(provider, read(dir, file), { now })
  const byId = new Map(models.map(m => [m.id, m]))
  expect(byId.size, 'model ids are unique').toBe(models.length)
  return byId
}

const standardOnly = <T extends { serviceTiers?: unknown }>({ serviceTiers: _, ...rest }: T) => rest
/**
 * The models of a page with their standard-tier token prices only (scheduled ones too); service
 * tiers, tool fees and geography multipliers are tested apart.
 */
function parse(provider: ProviderId, dir: string, file: string, now = NOW): Map<string, ParsedModel> {
  const all = parseAll(provider, dir, file, now)
  return new Map([...all].map(([id, m]) => {
    const { schedule, toolFees: _fees, geoMultipliers: _geo, ...pricing } = standardOnly(m.pricing)
    return [id, { ...m, pricing: { ...pricing, ...schedule ? { schedule: schedule.map(standardOnly) } : {} } }]
  }))
}

describe.skipIf(sharedMissing)(sharedTitle, () => {
  describe('OpenAI, Markdown twin (openai-pricing.md)', () => {
    const models = () => parse('openai', SHARED, 'openai-pricing.md')

    it('finds the 44 text and embedding models of the standard tier', () => {
      const m = models()
      expect(m.size).toBe(44)
      // Not text-token models, or listed without a price.
      for (const id of ['omni-moderation-latest', 'gpt-5.4-cyber', 'gpt-realtime', 'gpt-image-1', 'sora-2', 'gpt-4o-transcribe', 'o4-mini-2025-04-16', 'gpt-4o-mini-2024-07-18',
        // Named only by the fine-tuning tables, which price fine-tuned models, not the snapshot.
        'gpt-4.1-2025-04-14']) {
        expect(m.has(id), id).toBe(false)
      }
    })

    it('reads the standard prices, not batch, flex, fast or fine-tuning ones', () => {
      const m = models()
      expect(m.get('gpt-4o-mini')).toEqual({ id: 'gpt-4o-mini', mode: 'chat', pricing: { input: 0.15, cachedInput: 0.075, output: 0.6 } })
      expect(m.get('gpt-4o')?.pricing).toEqual({ input: 2.5, cachedInput: 1.25, output: 10 })
      expect(m.get('gpt-4.1')?.pricing).toEqual({ input: 2, cachedInput: 0.5, output: 8 })
      expect(m.get('gpt-4.1-mini')?.pricing).toEqual({ input: 0.4, cachedInput: 0.1, output: 1.6 })
      expect(m.get('o3')?.pricing).toEqual({ input: 2, cachedInput: 0.5, output: 8 })
      expect(m.get('o4-mini')?.pricing).toEqual({ input: 1.1, cachedInput: 0.275, output: 4.4 })
      expect(m.get('gpt-5')?.pricing).toEqual({ input: 1.25, cachedInput: 0.125, output: 10 })
      expect(m.get('gpt-5-mini')?.pricing).toEqual({ input: 0.25, cachedInput: 0.025, output: 2 })
      expect(m.get('gpt-5-pro')?.pricing).toEqual({ input: 15, output: 120 })
    })

    it('reads embeddings with no output price', () => {
      const m = models()
      expect(m.get('text-embedding-3-small')).toEqual({ id: 'text-embedding-3-small', mode: 'embedding', pricing: { input: 0.02, output: 0 } })
      expect(m.get('text-embedding-3-large')?.pricing).toEqual({ input: 0.13, output: 0 })
    })

    it('turns long-context columns into a tier above the 272K threshold stated on the page', () => {
      const m = models()
      expect(m.get('gpt-5.5')?.pricing).toEqual({ input: 5, cachedInput: 0.5, output: 30, tiers: [{ aboveTokens: 272_000, input: 10, cachedInput: 1, output: 45 }] })
      expect(m.get('gpt-5.5-pro')?.pricing).toEqual({ input: 30, output: 180, tiers: [{ aboveTokens: 272_000, input: 60, output: 270 }] })
      // No marker in its own row: the page's single threshold applies.
      expect(m.get('gpt-5.6-sol')?.pricing).toEqual({
        input: 4, cachedInput: 0.4, cacheWrite: 5, output: 20,
        tiers: [{ aboveTokens: 272_000, input: 8, cachedInput: 0.8, cacheWrite: 10, output: 30 }],
        // "GPT-5.6 Sol’s promotional pricing is available at least through November 21, 2026."
        promotionalThrough: '2026-11-21T23:59:59.999Z',
      })
      expect(m.get('gpt-5.6-luna')?.pricing.tiers).toEqual([{ aboveTokens: 272_000, input: 0.4, cachedInput: 0.04, cacheWrite: 0.5, output: 1.8 }])
    })

    it('reads the Batch, Flex and Fast (Priority) tables as service tiers, long context included', () => {
      const all = parseAll('openai', SHARED, 'openai-pricing.md')
      expect(all.get('gpt-5.6-sol')?.pricing.serviceTiers).toEqual({
        batch: { input: 2, cachedInput: 0.2, cacheWrite: 2.5, output: 10, tiers: [{ aboveTokens: 272_000, input: 4, cachedInput: 0.4, cacheWrite: 5, output: 15 }] },
        flex: { input: 2, cachedInput: 0.2, cacheWrite: 2.5, output: 10, tiers: [{ aboveTokens: 272_000, input: 4, cachedInput: 0.4, cacheWrite: 5, output: 15 }] },
        priority: { input: 8, cachedInput: 0.8, cacheWrite: 10, output: 40, tiers: [{ aboveTokens: 272_000, input: 16, cachedInput: 1.6, cacheWrite: 20, output: 60 }] },
      })
      // Not every model has every tier: gpt-4.1 has no Flex row, and its Batch row no cached price.
      expect(all.get('gpt-4.1')?.pricing.serviceTiers).toEqual({ batch: { input: 1, output: 4 }, priority: { input: 3.5, cachedInput: 0.875, output: 14 } })
      expect(all.get('o3')?.pricing.serviceTiers?.flex).toEqual({ input: 1, cachedInput: 0.25, output: 4 })
      // The HTML form's panes give the same tiers.
      expect(parseAll('openai', SHARED, 'openai-pricing.html').get('gpt-4.1')?.pricing.serviceTiers).toEqual(all.get('gpt-4.1')?.pricing.serviceTiers)
    })

    it('reads the single-tier cyber and specialized tables', () => {
      const m = models()
      expect(m.get('gpt-5.6-cyber')?.pricing).toEqual({ input: 12.5, cachedInput: 1.25, cacheWrite: 15.625, output: 75 })
      expect(m.get('gpt-5.3-codex')?.pricing).toEqual({ input: 1.75, cachedInput: 0.175, output: 14 })
    })
  })

  describe('OpenAI, Astro HTML (openai-pricing.html)', () => {
    const models = () => parse('openai', SHARED, 'openai-pricing.html')

    it('finds the same 44 models in the astro-island props', () => {
      const html = [...models().keys()].sort()
      const markdown = [...parse('openai', SHARED, 'openai-pricing.md').keys()].sort()
      expect(html).toHaveLength(44)
      expect(html).toEqual(markdown)
    })

    it('reads the standard tab', () => {
      const m = models()
      expect(m.get('gpt-4o-mini')?.pricing).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6 })
      expect(m.get('gpt-4.1')?.pricing).toEqual({ input: 2, cachedInput: 0.5, output: 8 })
      expect(m.get('o3')?.pricing).toEqual({ input: 2, cachedInput: 0.5, output: 8 })
      expect(m.get('gpt-5')?.pricing).toEqual({ input: 1.25, cachedInput: 0.125, output: 10 })
      expect(m.get('text-embedding-3-small')?.pricing).toEqual({ input: 0.02, output: 0 })
      // This older copy predates the promotional price in the Markdown copy.
      expect(m.get('gpt-5.6-sol')?.pricing).toEqual({
        input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 30,
        tiers: [{ aboveTokens: 272_000, input: 10, cachedInput: 1, cacheWrite: 12.5, output: 45 }],
      })
    })

    it('leaves out long-context prices the HTML does not carry, rather than computing them', () => {
      // Only the first rows are rendered server-side with their long-context columns.
      expect(models().get('gpt-5.5')?.pricing).toEqual({ input: 5, cachedInput: 0.5, output: 30 })
    })
  })

  it('refuses an OpenAI promotional note it cannot tie to a priced model', () => {
    const page = read(SHARED, 'openai-pricing.md')
    expect(() => parsePricingPage('openai', page.replace('GPT-5.6 Sol’s promotional', 'GPT-7 Nova’s promotional'))).toThrow(/promotional price for gpt-7-nova/)
    expect(() => parsePricingPage('openai', page.replace('GPT-5.6 Sol’s promotional pricing is available at least', 'Promotional pricing for GPT-5.6 Sol holds'))).toThrow(/promotional-price note/)
  })

  it('refuses the early-2026 OpenAI MDX form', () => {
    expect(() => parsePricingPage('openai', read(SHARED, 'older/openai-pricing.2026-03.md'))).toThrow(PricingParseError)
    expect(() => parsePricingPage('openai', read(SHARED, 'older/openai-pricing.2026-03.md'))).toThrow(/MDX/)
  })

  describe('Anthropic', () => {
    it('maps the 15 display names to API ids and reads the standard table', () => {
      const m = parse('anthropic', SHARED, 'anthropic-pricing.md')
      expect(m.size).toBe(15)
      expect(m.get('claude-haiku-4-5')).toEqual({
        id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', mode: 'chat', status: 'active',
        pricing: { input: 1, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: 2, output: 5 },
      })
      expect(m.get('claude-sonnet-5')?.pricing).toEqual({ input: 2, cachedInput: 0.2, cacheWrite: 2.5, cacheWrite1h: 4, output: 10 })
      expect(m.get('claude-opus-4-6')?.pricing).toEqual({ input: 5, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10, output: 25 })
      expect(m.get('claude-fable-5')?.pricing).toEqual({ input: 10, cachedInput: 1, cacheWrite: 12.5, cacheWrite1h: 20, output: 50 })
      // The 1-hour write is 2× base input on every row, the 5-minute one 1.25×.
      for (const model of m.values()) expect(model.pricing.cacheWrite1h, model.id).toBeCloseTo(model.pricing.input * 2, 10)
      expect(m.get('claude-mythos-5')?.status).toBe('active')
    })

    it('reads the Batch table, with cache prices scaled by the batch discount as the page says they stack', () => {
      const all = parseAll('anthropic', SHARED, 'anthropic-pricing.md')
      expect(all.get('claude-sonnet-4-6')?.pricing.serviceTiers).toEqual({ batch: { input: 1.5, cachedInput: 0.15, cacheWrite: 1.875, cacheWrite1h: 3, output: 7.5 } })
      expect(all.get('claude-3-5-haiku-latest')?.pricing.serviceTiers?.batch).toEqual({ input: 0.4, cachedInput: 0.04, cacheWrite: 0.5, cacheWrite1h: 0.8, output: 2 })
    })

    it('reads the web-search fee and the US inference multiplier of Claude 4.6 and later, current and April pages', () => {
      for (const file of ['anthropic-pricing.md', 'older/anthropic-pricing.2026-04.md']) {
        const all = parseAll('anthropic', SHARED, file)
        expect(all.get('claude-opus-4-6')?.pricing, file).toMatchObject({ toolFees: { webSearch: 10 }, geoMultipliers: { us: 1.1 } })
        expect(all.get('claude-opus-4-5')?.pricing.toolFees, file).toEqual({ webSearch: 10 })
        expect(all.get('claude-opus-4-5')?.pricing, file).not.toHaveProperty('geoMultipliers')
      }
      expect(parseAll('anthropic', SHARED, 'anthropic-pricing.md').get('claude-sonnet-5')?.pricing.geoMultipliers).toEqual({ us: 1.1 })
    })

    it('refuses a data-residency multiplier or a search fee worded in a way it does not read', () => {
      const page = read(SHARED, 'anthropic-pricing.md')
      expect(() => parsePricingPage('anthropic', page.replace('specifying US-only inference through', 'asking for US inference through'))).toThrow(PricingParseError)
      expect(() => parsePricingPage('anthropic', page.replace('Web search is available on the Claude API for', 'Searching costs'))).toThrow(PricingParseError)
    })

    it('marks retired models', () => {
      const m = parse('anthropic', SHARED, 'anthropic-pricing.md')
      expect(m.get('claude-opus-4-1')).toMatchObject({ status: 'retired', pricing: { input: 15, cachedInput: 1.5, cacheWrite: 18.75, cacheWrite1h: 30, output: 75 } })
      expect(m.get('claude-3-5-haiku-latest')).toMatchObject({ status: 'retired', pricing: { input: 0.8, cachedInput: 0.08, cacheWrite: 1, cacheWrite1h: 1.6, output: 4 } })
      expect([...m.values()].filter(x => x.status === 'retired').map(x => x.id).sort())
        .toEqual(['claude-3-5-haiku-latest', 'claude-opus-4-0', 'claude-opus-4-1', 'claude-sonnet-4-0'])
    })

    it('reads the April 2026 page: 12 models, deprecated markers', () => {
      const m = parse('anthropic', SHARED, 'older/anthropic-pricing.2026-04.md')
      expect(m.size).toBe(12)
      expect(m.get('claude-3-7-sonnet-latest')?.status).toBe('deprecated')
      expect(m.get('claude-3-opus-latest')?.status).toBe('deprecated')
      expect(m.get('claude-3-haiku-20240307')).toMatchObject({ status: 'active', pricing: { input: 0.25, cachedInput: 0.03, cacheWrite: 0.3, cacheWrite1h: 0.5, output: 1.25 } })
    })
  })

  describe('Gemini (google-pricing.md.txt)', () => {
    const models = (now = NOW) => parse('google', SHARED, 'google-pricing.md.txt', now)

    it('finds the 17 text chat and embedding models', () => {
      const m = models()
      expect([...m.keys()].sort()).toEqual([
        'gemini-2.5-computer-use-preview-10-2025', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro',
        'gemini-3-flash-preview', 'gemini-3.1-flash-lite', 'gemini-3.1-pro-preview', 'gemini-3.1-pro-preview-customtools',
        'gemini-3.5-flash', 'gemini-3.5-flash-lite', 'gemini-3.6-flash', 'gemini-3.7-flash',
        'gemini-embedding-001', 'gemini-embedding-2',
        'gemini-robotics-er-1.6-preview', 'gemini-robotics-er-2-preview', 'gemini-robotics-er-2-streaming-preview',
      ])
    })

    it('turns >200k prompt prices into a tier', () => {
      expect(models().get('gemini-2.5-pro')).toEqual({
        id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', mode: 'chat',
        pricing: { input: 1.25, cachedInput: 0.125, output: 10, tiers: [{ aboveTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 }] },
      })
      expect(models().get('gemini-3.1-pro-preview-customtools')?.pricing).toEqual({
        input: 2, cachedInput: 0.2, output: 12, tiers: [{ aboveTokens: 200_000, input: 4, cachedInput: 0.4, output: 18 }],
      })
    })

    it('takes the text/image/video price as input, and audio priced apart as its own class', () => {
      expect(models().get('gemini-2.5-flash')?.pricing).toEqual({ input: 0.3, cachedInput: 0.03, audioInput: 1, audioCachedInput: 0.1, output: 2.5 })
      expect(models().get('gemini-3-flash-preview')?.pricing).toEqual({ input: 0.5, cachedInput: 0.05, audioInput: 1, audioCachedInput: 0.1, output: 3 })
      expect(models().get('gemini-2.5-flash-lite')?.pricing).toEqual({ input: 0.1, cachedInput: 0.01, audioInput: 0.3, audioCachedInput: 0.03, output: 0.4 })
      // "$0.30 (text / image / video / audio)": one price for all, no audio class.
      expect(models().get('gemini-3.7-flash')?.pricing).not.toHaveProperty('audioInput')
    })

    it('reads the Batch, Flex and Priority tables as service tiers, dated and long-context ones too', () => {
      const all = parseAll('google', SHARED, 'google-pricing.md.txt')
      expect(all.get('gemini-2.5-flash')?.pricing.serviceTiers).toEqual({
        batch: { input: 0.15, cachedInput: 0.03, audioInput: 0.5, audioCachedInput: 0.1, output: 1.25 },
        flex: { input: 0.15, cachedInput: 0.03, audioInput: 0.5, audioCachedInput: 0.1, output: 1.25 },
        priority: { input: 0.54, cachedInput: 0.054, audioInput: 1.8, audioCachedInput: 0.18, output: 4.5 },
      })
      expect(all.get('gemini-2.5-pro')?.pricing.serviceTiers?.priority).toEqual({
        input: 2.25, cachedInput: 0.225, output: 18, tiers: [{ aboveTokens: 200_000, input: 4.5, cachedInput: 0.45, output: 27 }],
      })
      const flash37 = all.get('gemini-3.7-flash')!.pricing
      expect(flash37.serviceTiers?.flex).toEqual({ input: 0.375, cachedInput: 0.0375, output: 1.875 })
      expect(flash37.schedule?.[0]?.serviceTiers?.flex).toEqual({ input: 0.75, cachedInput: 0.075, output: 3.75 })
      expect(flash37.schedule?.[0]?.serviceTiers?.priority).toEqual({ input: 2.7, cachedInput: 0.27, output: 13.5 })
    })

    it('reads embeddings', () => {
      expect(models().get('gemini-embedding-001')).toEqual({ id: 'gemini-embedding-001', displayName: 'Gemini Embedding', mode: 'embedding', pricing: { input: 0.15, output: 0 } })
      expect(models().get('gemini-embedding-2')?.pricing).toEqual({ input: 0.2, output: 0 })
    })

    it('takes the dated price in force, and schedules the announced one from its date (UTC)', () => {
      const later = [{ from: '2027-01-01T00:00:00.000Z', input: 1.5, cachedInput: 0.15, output: 7.5 }]
      expect(models().get('gemini-3.7-flash')?.pricing).toEqual({ input: 0.75, cachedInput: 0.075, output: 3.75, schedule: later })
      expect(models().get('gemini-3.6-flash')?.pricing).toEqual({ input: 0.75, cachedInput: 0.075, output: 3.75, schedule: later })
      expect(models(new Date('2026-12-31T23:59:00Z')).get('gemini-3.7-flash')?.pricing).toMatchObject({ input: 0.75, schedule: later })
      // Read after the change: today's price and nothing left to schedule.
      expect(models(new Date('2027-01-01T00:00:00Z')).get('gemini-3.7-flash')?.pricing).toEqual({ input: 1.5, cachedInput: 0.15, output: 7.5 })
      // Undated prices have no schedule.
      expect(models().get('gemini-2.5-flash')?.pricing).not.toHaveProperty('schedule')
    })
  })

  describe('seed registry from the saved pages', () => {
    const registry = () => buildSeedRegistry(readSavedPages(SHARED), NOW.toISOString())

    it('is a valid registry with every model, sorted by provider then id', () => {
      const r = registry()
      expect(Registry.parse(r)).toEqual(r)
      expect(r.models).toHaveLength(44 + 15 + 17)
      const keys = r.models.map(m => `${m.provider} ${m.id}`)
      expect(keys).toEqual([...keys].sort())
      expect(Object.keys(r.sources).sort()).toEqual(['anthropic', 'google', 'openai'])
      expect(r.sources.openai).toEqual({ url: 'https://developers.openai.com/api/docs/pricing.md', fetchedAt: NOW.toISOString(), ok: true })
      const ids = new Set(r.models.map(m => m.id))
      for (const id of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o3', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'text-embedding-3-small', 'text-embedding-3-large',
        'claude-sonnet-5', 'claude-opus-5', 'claude-haiku-4-5', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-3.7-flash', 'gemini-embedding-001']) {
        expect(ids.has(id), id).toBe(true)
      }
    })

    it('carries exactly the parsed standard prices', () => {
      const r = registry()
      for (const provider of PROVIDERS) {
        const parsed = new Map(parsePricingPage(provider, readSavedPages(SHARED)[provider], { now: NOW }).map(m => [m.id, m]))
        for (const entry of r.models.filter(m => m.provider === provider)) {
          expect(entry.pricing, entry.id).toEqual(parsed.get(entry.id)?.pricing)
          expect(entry.status, entry.id).toBe(parsed.get(entry.id)?.status ?? 'active')
        }
      }
    })

    it('adds limits and snapshot aliases from data/model-aliases.json', () => {
      const m = new Map(registry().models.map(x => [x.id, x]))
      expect(m.get('claude-haiku-4-5')).toMatchObject({ contextWindow: 200_000, maxOutputTokens: 64_000, aliases: ['claude-haiku-4-5-20251001'], source: 'seed' })
      expect(m.get('gpt-4o')).toMatchObject({ contextWindow: 128_000, maxOutputTokens: 16_384, aliases: [] })
      expect(m.get('gemini-2.5-pro')).toMatchObject({ contextWindow: 1_048_576, maxOutputTokens: 65_536 })
      expect(m.get('gpt-5.3-codex')?.contextWindow).toBeUndefined()
    })
  })
})

describe('repository fixture pages: the standard tier (service tiers stripped by parse)', () => {
  it('OpenAI Markdown: batch, flex, fast, image and fine-tuning tables are ignored', () => {
    const m = parse('openai', REPO, 'openai.md')
    expect([...m.keys()]).toEqual(['gpt-5.5', 'gpt-4.1', 'gpt-4o-mini', 'text-embedding-3-small'])
    expect(m.get('gpt-4o-mini')?.pricing).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6 })
    expect(m.get('gpt-4.1')?.pricing).toEqual({ input: 2, cachedInput: 0.5, output: 8 })
    expect(m.get('text-embedding-3-small')?.pricing).toEqual({ input: 0.02, output: 0 })
    expect(m.get('gpt-5.5')?.pricing.tiers).toEqual([{ aboveTokens: 272_000, input: 10, cachedInput: 1, output: 45 }])
  })

  it('OpenAI HTML: props of the standard pane, rendered long-context row, batch and fast panes ignored', () => {
    const m = parse('openai', REPO, 'openai.html')
    expect([...m.keys()]).toEqual(['gpt-5.5', 'gpt-4o-mini', 'o3', 'text-embedding-3-small'])
    expect(m.get('gpt-4o-mini')?.pricing).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6 })
    expect(m.get('o3')?.pricing).toEqual({ input: 2, cachedInput: 0.5, output: 8 })
    expect(m.get('text-embedding-3-small')?.pricing).toEqual({ input: 0.02, output: 0 })
    expect(m.get('gpt-5.5')?.pricing).toEqual({ input: 5, cachedInput: 0.5, output: 30, tiers: [{ aboveTokens: 272_000, input: 10, cachedInput: 1, output: 45 }] })
  })

  it('Anthropic: batch and fast-mode tables are ignored', () => {
    const m = parse('anthropic', REPO, 'anthropic.md')
    expect([...m.keys()]).toEqual(['claude-opus-4-6', 'claude-haiku-4-5', 'claude-3-7-sonnet-latest'])
    expect(m.get('claude-opus-4-6')?.pricing).toEqual({ input: 5, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10, output: 25 })
    expect(m.get('claude-3-7-sonnet-latest')).toMatchObject({ displayName: 'Claude Sonnet 3.7', status: 'deprecated' })
  })

  it('Gemini: batch and flex tables, TTS and per-second models are ignored', () => {
    const m = parse('google', REPO, 'google.md.txt')
    expect([...m.keys()]).toEqual(['gemini-3.7-flash', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-embedding-001'])
    expect(m.get('gemini-2.5-pro')?.pricing).toEqual({ input: 1.25, cachedInput: 0.125, output: 10, tiers: [{ aboveTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 }] })
    expect(m.get('gemini-2.5-flash')?.pricing).toEqual({ input: 0.3, cachedInput: 0.03, audioInput: 1, audioCachedInput: 0.1, output: 2.5 })
    expect(m.get('gemini-embedding-001')?.pricing).toEqual({ input: 0.15, output: 0 })
    expect(parse('google', REPO, 'google.md.txt', new Date('2027-03-01T00:00:00Z')).get('gemini-3.7-flash')?.pricing)
      .toEqual({ input: 1.5, cachedInput: 0.15, output: 7.5 })
  })

  it('builds a sorted seed registry with limits from the alias file', () => {
    const pages = { openai: read(REPO, 'openai.md'), anthropic: read(REPO, 'anthropic.md'), google: read(REPO, 'google.md.txt') }
    const r = buildSeedRegistry(pages, NOW.toISOString())
    expect(r.models.map(m => m.id)).toEqual([
      'claude-3-7-sonnet-latest', 'claude-haiku-4-5', 'claude-opus-4-6',
      'gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-3.7-flash', 'gemini-embedding-001',
      'gpt-4.1', 'gpt-4o-mini', 'gpt-5.5', 'text-embedding-3-small',
    ])
    expect(r.models.find(m => m.id === 'claude-opus-4-6')).toEqual({
      id: 'claude-opus-4-6', provider: 'anthropic', mode: 'chat', displayName: 'Claude Opus 4.6',
      pricing: {
        input: 5, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10, output: 25,
        serviceTiers: { batch: { input: 2.5, cachedInput: 0.25, cacheWrite: 3.125, cacheWrite1h: 5, output: 12.5 } },
      },
      contextWindow: 1_000_000, maxOutputTokens: 128_000, aliases: [], status: 'active', source: 'seed', updatedAt: NOW.toISOString(),
      capabilities: { reasoning: { control: 'adaptive' }, sampling: { temperatureMax: 1, temperatureOrTopP: true } },
    })
    expect(r.models.find(m => m.id === 'gemini-embedding-001')).not.toHaveProperty('capabilities')
    expect(r.models.find(m => m.id === 'claude-3-7-sonnet-latest')).toMatchObject({ status: 'deprecated', aliases: ['claude-3-7-sonnet-20250219'] })
  })
})

describe('pages that are refused', () => {
  const BOT_CHECK = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div id="challenge-running">Checking your browser</div></body></html>'
  const CAPTCHA = '<html><head><title>Pricing</title></head><body><form><div class="g-recaptcha" data-sitekey="x"></div>Please complete the captcha</form></body></html>'

  for (const provider of PROVIDERS) {
    it(`${provider}: empty page, bot check and captcha pages throw PricingParseError`, () => {
      for (const page of ['', '   \n', BOT_CHECK, CAPTCHA]) {
        expect(() => parsePricingPage(provider, page), JSON.stringify(page.slice(0, 30))).toThrow(PricingParseError)
      }
    })

    it(`${provider}: a page without price tables throws PricingParseError`, () => {
      expect(() => parsePricingPage(provider, '# Pricing\n\nNothing to see here.\n')).toThrow(/no model prices found/)
    })
  }

  const openaiTable = (rows: string) => [
    '### Standard pricing data', '',
    '| Model | Short context input | Short context cached input | Short context output | Long context input | Long context cached input | Long context output |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    rows,
  ].join('\n')

  it('OpenAI: long-context prices without a stated threshold', () => {
    expect(() => parsePricingPage('openai', openaiTable('| gpt-5.5 | $5.00 | $0.50 | $30.00 | $10.00 | $1.00 | $45.00 |'))).toThrow(/no threshold/)
  })

  it('OpenAI: one model listed twice with different standard prices', () => {
    const rows = '| gpt-4o | $2.50 | $1.25 | $10.00 | - | - | - |\n| gpt-4o | $2.00 | $1.25 | $10.00 | - | - | - |'
    expect(() => parsePricingPage('openai', openaiTable(rows))).toThrow(/different standard prices/)
  })

  it('OpenAI: a price cell it cannot read', () => {
    expect(() => parsePricingPage('openai', openaiTable('| gpt-4o | about $2 | - | $10.00 | - | - | - |'))).toThrow(PricingParseError)
  })

  const anthropicTable = (name: string) => [
    '| Model | Base Input Tokens | 5m Cache Writes | 1h Cache Writes | Cache Hits & Refreshes | Output Tokens |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${name} | $1 / MTok | $1.25 / MTok | $2 / MTok | $0.10 / MTok | $5 / MTok |`,
  ].join('\n')

  it('Anthropic: a display name missing from data/model-aliases.json', () => {
    expect(() => parsePricingPage('anthropic', anthropicTable('Claude Verse 9'))).toThrow(/"Claude Verse 9"/)
  })

  it('Anthropic: a long-context price table', () => {
    const page = `${anthropicTable('Claude Haiku 4.5')}\n\n### Long context pricing\n\n| ≤ 200K input tokens | > 200K input tokens |\n| --- | --- |\n| $3 / MTok | $6 / MTok |\n`
    expect(() => parsePricingPage('anthropic', page)).toThrow(/long-context/)
  })
})

describe('price cells', () => {
  it('reads single prices', () => {
    expect(parsePrice('$0.075')).toBe(0.075)
    expect(parsePrice('$3 / MTok')).toBe(3)
    expect(parsePrice('$1,250.00')).toBe(1250)
    expect(parsePrice(2.5)).toBe(2.5)
    expect(parsePrice('Free')).toBe(0)
    expect(parsePrice('Free of charge')).toBe(0)
    for (const none of ['-', '', 'Not available', null, undefined]) expect(parsePrice(none)).toBeUndefined()
    expect(() => parsePrice('$15.00 / 1M characters')).toThrow(PricingParseError)
  })

  it('cuts multi-value cells into one segment per price, keeping "or" alternatives together', () => {
    expect(priceSegments('$0.25 (text / image / video) $0.50 (audio)')).toEqual([
      { amount: 0.25, qualifier: ' (text / image / video) ' },
      { amount: 0.5, qualifier: ' (audio)' },
    ])
    expect(priceSegments('$0.75 (text) $3.00 or $0.005/min (audio)')).toEqual([
      { amount: 0.75, qualifier: ' (text) ' },
      { amount: 3, qualifier: ' or $0.005/min (audio)' },
    ])
  })
})

// The Gemini API pricing page, Markdown twin (ai.google.dev/gemini-api/docs/pricing.md.txt). One "## "
// section per model with its API ids in an italic link line, then tier tables ("### Standard",
// "### Batch"...) whose rows are price kinds and whose paid-tier cells may list several prices:
// by modality, by prompt length (<= / > 200k tokens), by date, plus storage and per-unit prices.
// Dated prices ("$0.75 through December 31, 2026. $1.50 starting January 1, 2027", dates in UTC):
// the prices in force when the page is read, and a schedule of those that begin later.
import { type ParsedModel, type Pricing, type ScheduledPricing, SERVICE_TIERS, type ServiceTier, type TierPricing } from '../schema'
import {
  assertPageText, compact, endOfUtcDay, finishModels, headerKey, type LongContextTier, markdownBlocks, type ParseOptions, parsePrice,
  parseTokenCount, priceSegments, PricingParseError, startOfUtcDay,
} from './common'

const PAGE = 'Gemini pricing page'

type Field = 'input' | 'output' | 'cachedInput'

// Row labels (lower case, footnote marks removed) → price kind. Embedding models price text input
// on its own row; image, audio and video input rows are other modalities and are not read (audio
// priced apart inside a text row's cell, "$0.30 (text / image / video) $1.00 (audio)", is read).
function fieldOf(label: string): Field | undefined {
  if (/^(text )?input price\b/.test(label)) return 'input'
  if (/^output price\b/.test(label)) return 'output'
  if (/^context caching price\b/.test(label)) return 'cachedInput'
  return undefined
}

type Cells = Partial<Record<Field, string>>
type TierName = 'standard' | ServiceTier

interface Section {
  displayName: string
  ids: string[]
  tier: string | undefined
  /** Paid-tier cells of the section's first table per tier (Standard, Batch, Flex, Priority), once found. */
  cells: Partial<Record<TierName, Cells>>
}

export function parseGooglePricing(text: string, options: ParseOptions = {}): ParsedModel[] {
  assertPageText(text, PAGE)
  const now = options.now ?? new Date()
  return finishModels(sections(text).flatMap(s => modelsOf(s, now)), PAGE)
}

function sections(text: string): Section[] {
  const found: Section[] = []
  let current: Section | undefined
  for (const block of markdownBlocks(text)) {
    if (block.kind === 'heading' && block.level <= 2) {
      current = { displayName: block.text.replace(/[^\p{L}\p{N}\s.()-]/gu, '').trim(), ids: [], tier: undefined, cells: {} }
      found.push(current)
    }
    else if (!current) {
      continue
    }
    else if (block.kind === 'heading') {
      current.tier = headerKey(block.text)
    }
    else if (block.kind === 'line' && current.ids.length === 0 && /^\*\[`/.test(block.text)) {
      current.ids = [...block.text.matchAll(/\[`([a-z0-9][a-z0-9.-]*)`\]/g)].map(m => m[1]!)
    }
    else if (block.kind === 'table') {
      const tier = tierName(current.tier)
      if (tier && !current.cells[tier]) current.cells[tier] = paidCells(block.header, block.rows)
    }
  }
  return found.filter(s => s.ids.length > 0 && s.cells.standard)
}

/** A tier heading as a tier; a section's tables before any heading are standard. Other headings name none. */
function tierName(heading: string | undefined): TierName | undefined {
  if (heading === undefined || heading === 'standard') return 'standard'
  return (SERVICE_TIERS as readonly string[]).includes(heading) ? heading as ServiceTier : undefined
}

/** The paid-tier column of a per-1M-token price table, by price kind; none for other tables (per second, per request). */
function paidCells(header: string[], rows: string[][]): Partial<Record<Field, string>> | undefined {
  const paid = header.findIndex(h => /paid tier/i.test(h))
  if (paid < 0 || !/per 1m tokens/i.test(header[paid]!)) return undefined
  const cells: Partial<Record<Field, string>> = {}
  for (const row of rows) {
    const field = fieldOf(headerKey(row[0] ?? ''))
    if (field && cells[field] === undefined) cells[field] = row[paid] ?? ''
  }
  return cells
}

function modelsOf(section: Section, now: Date): ParsedModel[] {
  // Embedding models are named so in their API ids; they have no output price.
  const mode = section.ids.some(id => id.includes('embedding')) ? 'embedding' : 'chat'
  const current = sectionPricing(section, mode, now)
  if (!current) return []
  const pricing = compact({ ...current, schedule: scheduleOf(section, mode, now, current) })
  return section.ids.map(id => ({ id, displayName: section.displayName, mode, pricing }))
}

/** The prices that take over after `now`, at each date a quoted price begins or ends; none when no change is announced. */
function scheduleOf(section: Section, mode: ParsedModel['mode'], now: Date, current: Pricing): ScheduledPricing[] | undefined {
  const entries: ScheduledPricing[] = []
  let previous = JSON.stringify(current)
  for (const at of changeDates(section, now)) {
    // A price that ends with none announced after it keeps the last one known.
    const next = sectionPricing(section, mode, at)
    if (!next || JSON.stringify(next) === previous) continue
    entries.push({ from: at.toISOString(), ...next })
    previous = JSON.stringify(next)
  }
  return entries.length ? entries : undefined
}

/** The moments after `now` when a per-token price of the section, in any tier, begins or ends, in order. */
function changeDates(section: Section, now: Date): Date[] {
  const times = new Set<number>()
  for (const cell of Object.values(section.cells).flatMap(cells => Object.values(cells ?? {}))) {
    if (!cell?.includes('$')) continue
    for (const q of priceSegments(cell).flatMap(s => quoteOf(s.amount, s.qualifier))) {
      if (q.from) times.add(q.from.getTime())
      if (q.until) times.add(q.until.getTime() + 1)
    }
  }
  return [...times].filter(t => t > now.getTime()).sort((a, b) => a - b).map(t => new Date(t))
}

/** A section's prices at `now`: standard, and each other tier that prices text; undefined when it is not a text chat/embedding model. */
function sectionPricing(section: Section, mode: ParsedModel['mode'], now: Date): Pricing | undefined {
  const standard = tierPricing(section, section.cells.standard!, mode, now)
  if (!standard) return undefined
  const serviceTiers: Partial<Record<ServiceTier, TierPricing>> = {}
  for (const tier of SERVICE_TIERS) {
    const cells = section.cells[tier]
    const prices = cells && tierPricing(section, cells, mode, now)
    if (prices) serviceTiers[tier] = prices
  }
  return compact({ ...standard, serviceTiers: Object.keys(serviceTiers).length ? serviceTiers : undefined })
}

/** One tier's text-token prices (and audio input where priced apart), or undefined when the tier has no text price. */
function tierPricing(section: Section, cells: Cells, mode: ParsedModel['mode'], now: Date): TierPricing | undefined {
  const input = fieldPrice(cells.input, now, 'text')
  // Output priced per modality (images, audio, video next to text) means the model generates media:
  // a text-token price alone would misprice it.
  const output = mode === 'embedding' ? { base: 0 } : fieldPrice(cells.output, now, 'only-text')
  if (!input || !output) return undefined
  const cached = fieldPrice(cells.cachedInput, now, 'text')

  const thresholds = new Set([input, output, cached].flatMap(p => p?.above ? [p.above.tokens] : []))
  if (thresholds.size > 1) throw new PricingParseError(`${PAGE}: ${section.ids[0]} has several prompt-length thresholds`)
  const [aboveTokens] = thresholds
  // A price with no prompt-length split applies above the threshold too.
  const tier: LongContextTier | undefined = aboveTokens === undefined
    ? undefined
    : compact({
        aboveTokens,
        input: input.above?.amount ?? input.base,
        cachedInput: cached && (cached.above?.amount ?? cached.base),
        output: output.above?.amount ?? output.base,
      })
  return compact({
    input: input.base,
    cachedInput: cached?.base,
    audioInput: audioPrice(cells.input, now),
    audioCachedInput: audioPrice(cells.cachedInput, now),
    output: output.base,
    tiers: tier && [tier],
  })
}

/** The audio price in a cell that prices audio apart from text ("$0.30 (text / image / video) $1.00 (audio)"); undefined otherwise. */
function audioPrice(cell: string | undefined, now: Date): number | undefined {
  if (!cell?.includes('$')) return undefined
  const quotes = priceSegments(cell).flatMap(s => quoteOf(s.amount, s.qualifier)).filter(q => inForce(q, now))
  const audio = quotes.filter(q => q.modalities.includes('audio') && !q.modalities.includes('text'))
  if (audio.length === 0) return undefined
  if (audio.length > 1 || audio[0]!.aboveTokens !== undefined) throw new PricingParseError(`${PAGE}: cannot tell the audio price in "${cell}"`)
  return audio[0]!.amount
}

interface FieldPrice {
  base: number
  above?: { tokens: number, amount: number }
}

interface Quote {
  amount: number
  /** Modalities named in brackets after the price, lower case; empty when it applies to all. */
  modalities: string[]
  /** Set for "prompts > 200k tokens" prices. */
  aboveTokens?: number
  from?: Date
  until?: Date
}

/**
 * The text price in a paid-tier cell. With 'only-text', a cell that also prices other modalities
 * counts as no text price. Undefined when there is none (no row, "Not available", audio only...).
 */
function fieldPrice(cell: string | undefined, now: Date, want: 'text' | 'only-text'): FieldPrice | undefined {
  if (cell === undefined) return undefined
  if (!cell.includes('$')) {
    const flat = parsePrice(cell)
    return flat === undefined ? undefined : { base: flat }
  }
  const quotes = priceSegments(cell).flatMap(s => quoteOf(s.amount, s.qualifier)).filter(q => inForce(q, now))
  const forText = quotes.filter(q => q.modalities.length === 0 || q.modalities.includes('text'))
  if (forText.length === 0 || (want === 'only-text' && forText.length < quotes.length)) return undefined
  const base = forText.filter(q => q.aboveTokens === undefined)
  const above = forText.filter(q => q.aboveTokens !== undefined)
  if (base.length !== 1 || above.length > 1) throw new PricingParseError(`${PAGE}: cannot tell the text price in "${cell}"`)
  return compact({ base: base[0]!.amount, above: above[0] && { tokens: above[0].aboveTokens!, amount: above[0].amount } })
}

/** A price segment read as a per-token quote; none for per-unit and storage prices ("/min", "per image", "/ 1,000,000 tokens per hour"). */
function quoteOf(amount: number, qualifier: string): Quote[] {
  if (/^\s*(\/|per\b)/i.test(qualifier)) return []
  const modalities = /\(([^)]*)\)/.exec(qualifier)?.[1]?.toLowerCase().split(/[/,]|\band\b/).map(m => m.trim().replace(/s$/, '')) ?? []
  const above = /prompts\s*>\s*(\d+(?:\.\d+)?\s*[km])/i.exec(qualifier)
  const until = /\bthrough\s+([a-z]+ \d{1,2}, \d{4})/i.exec(qualifier)
  const from = /\bstarting\s+([a-z]+ \d{1,2}, \d{4})/i.exec(qualifier)
  return [compact({
    amount,
    modalities: modalities.filter(m => ['text', 'image', 'video', 'audio', 'thinking'].includes(m)),
    aboveTokens: above ? parseTokenCount(above[1]!) : undefined,
    until: until ? endOfUtcDay(until[1]!, PAGE) : undefined,
    from: from ? startOfUtcDay(from[1]!, PAGE) : undefined,
  })]
}

function inForce(q: Quote, now: Date): boolean {
  return (!q.from || now >= q.from) && (!q.until || now <= q.until)
}

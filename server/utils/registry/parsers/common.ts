// Helpers shared by the provider pricing-page parsers: the error they throw, page sanity checks,
// Markdown block/table splitting, price cells and the final validation of what a parser found.
import { Pricing, type ParsedModel } from '../schema'

/** A page that is not a pricing page we can read. Parsers throw this instead of guessing. */
export class PricingParseError extends Error {
  override name = 'PricingParseError'
}

/** One long-context price tier of a registry entry. */
export type LongContextTier = NonNullable<Pricing['tiers']>[number]

export interface ParseOptions {
  /** The moment prices must be valid at (pages announce dated price changes). Defaults to now. */
  now?: Date
  /** Display name → API id from the provider's model-list API; wins over data/model-aliases.json. */
  displayNames?: Record<string, string>
}

// Interstitials served instead of the page to clients that look automated. Markers are specific
// (titles, challenge scripts, captcha widgets) so a page that merely mentions CAPTCHAs still parses.
const BOT_CHECK = [
  /<title>[^<]*(just a moment|attention required|access denied|captcha)/i,
  /challenges\.cloudflare\.com|cf-chl-|cf_chl_|cf-turnstile/i,
  /g-recaptcha|google\.com\/recaptcha|hcaptcha\.com|class="h-captcha"/i,
  /verify(ing)? you are (a )?human/i,
]

/** Rejects bodies that cannot be a pricing page: empty ones and bot-check pages. */
export function assertPageText(text: string, page: string): void {
  if (text.trim() === '') throw new PricingParseError(`${page}: empty page`)
  if (BOT_CHECK.some(re => re.test(text))) throw new PricingParseError(`${page}: got a bot-check page, not the pricing page`)
}

export type MarkdownBlock =
  | { kind: 'heading', level: number, text: string }
  | { kind: 'table', header: string[], rows: string[][] }
  | { kind: 'line', text: string }

/** Markdown inline syntax reduced to its text: links, emphasis, code ticks, escapes and ^footnote^ marks. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\^(\\\*)+\^|\^\*+\^/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!<>|^~])/g, '$1')
    .replace(/\*\*|(?<![\w$])\*|\*(?!\w)|`/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

const TABLE_SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/

function tableCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '')
  return inner.split(/(?<!\\)\|/).map(plainText)
}

/** Splits a Markdown page into headings, tables and other non-blank lines, skipping fenced code. */
export function markdownBlocks(markdown: string): MarkdownBlock[] {
  const lines = markdown.split(/\r?\n/)
  const blocks: MarkdownBlock[] = []
  let inFence = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (/^(```|~~~)/.test(line)) {
      inFence = !inFence
      continue
    }
    if (inFence || line === '') continue
    const heading = /^(#{1,6})\s+(.*?)\s*#*$/.exec(line)
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: plainText(heading[2]!) })
      continue
    }
    if (line.startsWith('|') && TABLE_SEPARATOR.test(lines[i + 1]?.trim() ?? '')) {
      const header = tableCells(line)
      const rows: string[][] = []
      for (i += 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) rows.push(tableCells(lines[i]!))
      i--
      blocks.push({ kind: 'table', header, rows })
      continue
    }
    blocks.push({ kind: 'line', text: line })
  }
  return blocks
}

/** Header cells in the form column-role tables are keyed by: lower case, single spaces. */
export function headerKey(cell: string): string {
  return cell.replace(/\s+/g, ' ').trim().toLowerCase()
}

const NO_PRICE = new Set(['', '-', '–', '—', 'n/a', 'not available'])
const FREE = new Set(['free', 'free of charge'])
const DOLLARS = /^\$\s*(\d[\d,]*(?:\.\d+)?|\.\d+)(?:\s*\/\s*(?:mtok|1m tokens))?$/i

/**
 * One price cell in USD per 1M tokens: "$0.075", "$3 / MTok", a bare number, "Free" (0), or no price
 * at all ("-", empty, "Not available": undefined). Anything else throws: the page changed shape.
 */
export function parsePrice(cell: string | number | null | undefined): number | undefined {
  if (cell === null || cell === undefined) return undefined
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new PricingParseError(`not a price: ${cell}`)
    return cell
  }
  const text = cell.trim().toLowerCase()
  if (NO_PRICE.has(text)) return undefined
  if (FREE.has(text)) return 0
  const dollars = DOLLARS.exec(text)
  if (!dollars) throw new PricingParseError(`unrecognised price "${cell}"`)
  return Number(dollars[1]!.replace(/,/g, ''))
}

export interface PriceSegment {
  amount: number
  /** The text after the amount, up to the next one: units, modalities, conditions, dates. */
  qualifier: string
}

/**
 * A cell listing several prices ("$0.30 (text / image / video) $1.00 (audio)") cut into one segment
 * per dollar amount. "$3.00 or $0.005/min (audio)" is one price given in two units, so a segment
 * that ends in "or" takes the next one as its qualifier.
 */
export function priceSegments(cell: string): PriceSegment[] {
  const matches = [...cell.matchAll(/\$\s*(\d[\d,]*(?:\.\d+)?|\.\d+)/g)]
  const segments: PriceSegment[] = []
  let joinNext = false
  matches.forEach((m, i) => {
    const end = i + 1 < matches.length ? matches[i + 1]!.index : cell.length
    const qualifier = cell.slice(m.index + m[0].length, end)
    if (joinNext) segments[segments.length - 1]!.qualifier += m[0] + qualifier
    else segments.push({ amount: Number(m[1]!.replace(/,/g, '')), qualifier })
    joinNext = /\bor\s*$/i.test(qualifier)
  })
  return segments
}

/** "272K", "200k", "1M" → a token count. */
export function parseTokenCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([km]?)$/i.exec(text.trim())
  if (!m) throw new PricingParseError(`unrecognised token count "${text}"`)
  const scale = { '': 1, 'k': 1_000, 'm': 1_000_000 }[m[2]!.toLowerCase() as '' | 'k' | 'm']
  return Math.round(Number(m[1]) * scale)
}

/** Drops the keys whose value is undefined, so parsed prices compare and serialise cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/**
 * The last step of every parser: validates each model's prices against the registry schema, merges
 * repeats of one model (a page may list it in two tables) and refuses repeats that disagree, and
 * refuses a page on which nothing was found.
 */
export function finishModels(models: ParsedModel[], page: string): ParsedModel[] {
  const byId = new Map<string, ParsedModel>()
  for (const model of models) {
    const checked = Pricing.safeParse(model.pricing)
    if (!checked.success) throw new PricingParseError(`${page}: invalid prices for ${model.id}: ${checked.error.issues[0]?.message}`)
    const seen = byId.get(model.id)
    if (seen && JSON.stringify(seen.pricing) !== JSON.stringify(model.pricing)) {
      throw new PricingParseError(`${page}: ${model.id} is listed twice with different standard prices`)
    }
    if (!seen) byId.set(model.id, model)
  }
  if (byId.size === 0) throw new PricingParseError(`${page}: no model prices found; the page format is not recognised`)
  return [...byId.values()]
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

/** "January 1, 2027" at 00:00 UTC: the pages' dates are taken as UTC. */
export function startOfUtcDay(text: string, page: string): Date {
  const m = /^([a-z]+) (\d{1,2}), (\d{4})$/i.exec(text.trim())
  const month = m ? MONTHS.indexOf(m[1]!.toLowerCase()) : -1
  if (!m || month < 0) throw new PricingParseError(`${page}: unrecognised date "${text}"`)
  return new Date(Date.UTC(Number(m[3]), month, Number(m[2])))
}

/** The last millisecond of that day, UTC: "through December 31" includes the 31st. */
export function endOfUtcDay(text: string, page: string): Date {
  return new Date(startOfUtcDay(text, page).getTime() + 86_400_000 - 1)
}

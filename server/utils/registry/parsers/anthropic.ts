// Anthropic's pricing page (platform.claude.com/docs/en/about-claude/pricing.md). The "Model pricing"
// table names models by display name ("Claude Haiku 4.5"); data/model-aliases.json maps those to API ids.
import { z } from 'zod'
import aliasFile from '../../../../data/model-aliases.json'
import type { ParsedModel, TierPricing } from '../schema'
import { assertPageText, compact, finishModels, headerKey, markdownBlocks, type MarkdownBlock, type ParseOptions, parsePrice, PricingParseError } from './common'

const PAGE = 'Anthropic pricing page'

const DisplayNames = z.object({ displayNames: z.object({ anthropic: z.record(z.string(), z.string()) }) })
const API_IDS: Record<string, string> = DisplayNames.parse(aliasFile).displayNames.anthropic

type Role = 'model' | 'input' | 'cacheWrite' | 'cacheWrite1h' | 'cachedInput' | 'output'

// The standard price table: the 5-minute write is the cache-write price, the 1-hour write its own.
const ROLES: Record<string, Role | null> = {
  'model': 'model',
  'base input tokens': 'input',
  '5m cache writes': 'cacheWrite',
  '1h cache writes': 'cacheWrite1h',
  'cache hits & refreshes': 'cachedInput',
  'output tokens': 'output',
}

export function parseAnthropicPricing(text: string, options: ParseOptions = {}): ParsedModel[] {
  assertPageText(text, PAGE)
  const ids = { ...API_IDS, ...options.displayNames }
  const blocks = markdownBlocks(text)
  refuseLongContextTables(blocks)
  const rows = blocks.flatMap(b => b.kind === 'table' ? standardRows(b.header, b.rows) : [])
  const unmapped = rows.map(r => r.get('model')!).map(displayName).filter(n => !ids[n])
  if (unmapped.length > 0) {
    throw new PricingParseError(`${PAGE}: no API id for ${unmapped.map(n => `"${n}"`).join(', ')}; add them to data/model-aliases.json`)
  }
  const batch = new Map(blocks.flatMap(b => b.kind === 'table' ? batchRows(b.header, b.rows) : []).map(r => [ids[displayName(r.get('model')!)], r]))
  const extras = pageWideCharges(text)
  return finishModels(rows.map(row => extras(withBatch(modelOf(row, ids), batch.get(ids[displayName(row.get('model')!)]!)))), PAGE)
}

// "For Claude 4.6 and later models, specifying US-only inference through the `inference_geo`
// parameter incurs a 1.1x multiplier on all token pricing categories" (the April page: "For Claude
// Opus 4.6 and newer models, ... via the ..."), and "Web search is available on the Claude API for
// **$10 per 1,000 searches**". A page that mentions either in words this does not read is refused.
const GEO_RULE = /For Claude (?:[A-Z][a-z]+ )?(\d+(?:\.\d+)?) and (?:later|newer) models, specifying US-only inference (?:through|via) the `inference_geo` parameter incurs a (\d+(?:\.\d+)?)x multiplier on all token pricing categories/
const WEB_SEARCH_FEE = /Web search is available on the Claude API for \**\$(\d+(?:\.\d+)?) per 1,000 searches/

/** Applies the page's data-residency multiplier (to the models it names by version) and its web-search fee. */
function pageWideCharges(text: string): (model: ParsedModel) => ParsedModel {
  const geo = GEO_RULE.exec(text)
  if (!geo && /incurs a [\d.]+x multiplier/.test(text)) throw new PricingParseError(`${PAGE}: a data-residency multiplier this parser does not read`)
  const search = WEB_SEARCH_FEE.exec(text)
  if (!search && /\$[\d.]+ per 1,000 searches/.test(text.replace(/\*/g, ''))) throw new PricingParseError(`${PAGE}: a web-search fee this parser does not read`)
  return (model) => {
    const version = Number(/(\d+(?:\.\d+)?)\s*$/.exec(model.displayName ?? '')?.[1])
    const pricing = compact({
      ...model.pricing,
      toolFees: search ? { webSearch: Number(search[1]) } : undefined,
      geoMultipliers: geo && version >= Number(geo[1]) ? { us: Number(geo[2]) } : undefined,
    })
    return { ...model, pricing }
  }
}

// The Batch processing table: input and output at half price. Its cache prices are not listed; the
// page says the cache multipliers (1.25×, 2×, 0.1× base input) stack with the Batch discount, so
// they are the standard cache prices scaled as the input price is.
const BATCH_ROLES: Record<string, 'model' | 'input' | 'output'> = { 'model': 'model', 'batch input': 'input', 'batch output': 'output' }

function batchRows(header: string[], rows: string[][]): Map<string, string>[] {
  const roles = header.map(h => BATCH_ROLES[headerKey(h)])
  if (roles.some(r => r === undefined) || !roles.includes('input')) return []
  return rows.map(cells => new Map(roles.map((role, i) => [role!, cells[i] ?? ''])))
}

function withBatch(model: ParsedModel, row: Map<string, string> | undefined): ParsedModel {
  if (!row) return model
  const input = parsePrice(row.get('input'))
  const output = parsePrice(row.get('output'))
  if (input === undefined || output === undefined) throw new PricingParseError(`${PAGE}: ${model.id} lacks a batch input or output price`)
  const p = model.pricing
  const scaled = (price: number | undefined) => price === undefined ? undefined : Math.round(price * input / p.input * 1e6) / 1e6
  const batch: TierPricing = compact({ input, cachedInput: scaled(p.cachedInput), cacheWrite: scaled(p.cacheWrite), cacheWrite1h: scaled(p.cacheWrite1h), output })
  return { ...model, pricing: { ...p, serviceTiers: { batch } } }
}

/** The rows of a standard model-pricing table keyed by role, or none for any other table. */
function standardRows(header: string[], rows: string[][]): Map<Role, string>[] {
  const roles = header.map(h => ROLES[headerKey(h)])
  if (roles.some(r => r === undefined) || !roles.includes('model') || !roles.includes('input')) return []
  return rows.map(cells => new Map(roles.flatMap((role, i) => role ? [[role, cells[i] ?? ''] as const] : [])))
}

function modelOf(row: Map<Role, string>, ids: Record<string, string>): ParsedModel {
  const name = row.get('model')!
  const id = ids[displayName(name)]!
  const input = parsePrice(row.get('input'))
  const output = parsePrice(row.get('output'))
  if (input === undefined || output === undefined) throw new PricingParseError(`${PAGE}: ${id} lacks an input or output price`)
  return {
    id,
    displayName: displayName(name),
    mode: 'chat',
    pricing: compact({
      input,
      cachedInput: parsePrice(row.get('cachedInput')),
      cacheWrite: parsePrice(row.get('cacheWrite')),
      cacheWrite1h: parsePrice(row.get('cacheWrite1h')),
      output,
    }),
    status: statusOf(name),
  }
}

/** "Claude Opus 4.1 (retired, except on Bedrock and Google Cloud)" → "Claude Opus 4.1". */
function displayName(nameCell: string): string {
  return nameCell.replace(/\s*\(.*\)\s*$/, '').trim()
}

/** The note after the name: "(deprecated)", "(retired, except on ...)", "(limited availability)". */
function statusOf(nameCell: string): ParsedModel['status'] {
  const note = /\((.*)\)\s*$/.exec(nameCell)?.[1] ?? ''
  if (/\bretired\b/i.test(note)) return 'retired'
  if (/\bdeprecated\b/i.test(note)) return 'deprecated'
  return 'active'
}

// Neither saved page has a long-context price table (models from 4.6 on bill their full window at
// the standard rate). Earlier pages had one whose layout did not name models per row; rather than
// guess which model it applies to, a page that has one again is refused until this parser reads it.
function refuseLongContextTables(blocks: MarkdownBlock[]): void {
  let inLongContext = false
  let level = 0
  for (const block of blocks) {
    if (block.kind === 'heading') {
      if (inLongContext && block.level <= level) inLongContext = false
      if (/long context pricing/i.test(block.text)) {
        inLongContext = true
        level = block.level
      }
    }
    else if (block.kind === 'table' && inLongContext) {
      throw new PricingParseError(`${PAGE}: a long-context price table is present; this parser does not read it yet`)
    }
  }
}

// OpenAI's pricing page (developers.openai.com/api/docs/pricing), in either form it is served:
// the Markdown twin (pricing.md: plain tables under "### Standard pricing data" etc.) or the
// server-rendered Astro HTML, whose astro-island elements carry each pricing table's data as props.
// Both are reduced to the same PriceTable list, read by one set of column rules.
import { load } from 'cheerio'
import { z } from 'zod'
import type { ParsedModel, ServiceTier, TierPricing } from '../schema'
import {
  assertPageText, compact, endOfUtcDay, finishModels, headerKey, type LongContextTier, markdownBlocks, parsePrice, parseTokenCount,
  PricingParseError,
} from './common'

const PAGE = 'OpenAI pricing page'

type Cell = string | number | null | undefined

interface PriceTable {
  /** "standard", "batch", "flex", "priority"... or undefined for a table without tier tabs. */
  tier: string | undefined
  header: string[]
  rows: Cell[][]
  /** Long-context threshold the table states in its headings, if any. */
  longAbove?: number
}

type Role =
  | 'model' | 'category' | 'input' | 'cachedInput' | 'cacheWrite' | 'output'
  | 'longInput' | 'longCachedInput' | 'longCacheWrite' | 'longOutput'

// Every column a text-token table may have. A table with any other column (Modality, Training,
// Use case, Size...) prices something else: audio, images, video, fine-tuning, tools.
const ROLES: Record<string, Role> = {
  'model': 'model',
  'category': 'category',
  'input': 'input',
  'short context input': 'input',
  'cached input': 'cachedInput',
  'short context cached input': 'cachedInput',
  'cache writes': 'cacheWrite',
  'short context cache writes': 'cacheWrite',
  'output': 'output',
  'short context output': 'output',
  'long context input': 'longInput',
  'long context cached input': 'longCachedInput',
  'long context cache writes': 'longCacheWrite',
  'long context output': 'longOutput',
}

const STANDARD = 'standard'
// Tab labels and headings → tier. Priority processing was renamed Fast mode: one tier, two names
// (a request may say either `service_tier: "priority"` or `"fast"`).
const TIER_LABELS: Record<string, typeof STANDARD | ServiceTier> = {
  'standard': STANDARD, 'batch': 'batch', 'flex': 'flex', 'priority': 'priority', 'fast': 'priority', 'fast mode': 'priority',
}
// "gpt-5.5 (<272K context length)": the row's short-context prices stop at 272K prompt tokens.
const CONTEXT_MARKER = /\(\s*<\s*(\d+(?:\.\d+)?\s*[km])\s+context length\s*\)/i
const MODEL_ID = /^[a-z0-9][a-z0-9._:-]*$/

export function parseOpenAIPricing(text: string): ParsedModel[] {
  assertPageText(text, PAGE)
  const tables = pageTables(text)
  const pageLongAbove = statedThreshold(tables)
  const standard = tables.filter(t => t.tier === undefined || t.tier === STANDARD).flatMap(t => modelsOf(t, pageLongAbove))
  const tiered = tables.flatMap((t) => {
    const tier = t.tier === undefined ? undefined : TIER_LABELS[t.tier]
    return tier && tier !== STANDARD ? modelsOf(t, pageLongAbove).map(m => ({ tier, id: m.id, pricing: m.pricing as TierPricing })) : []
  })
  return finishModels(withPromotions(withServiceTiers(standard, tiered), text), PAGE)
}

/** Each model's Batch, Flex and Priority rows as its service-tier prices; a tier row of a model without standard prices is not used. */
function withServiceTiers(models: ParsedModel[], tiered: { tier: ServiceTier, id: string, pricing: TierPricing }[]): ParsedModel[] {
  const byId = new Map<string, Partial<Record<ServiceTier, TierPricing>>>()
  for (const { tier, id, pricing } of tiered) {
    const tiers = byId.get(id) ?? {}
    if (tiers[tier] && JSON.stringify(tiers[tier]) !== JSON.stringify(pricing)) throw new PricingParseError(`${PAGE}: ${id} is listed twice with different ${tier} prices`)
    tiers[tier] = pricing
    byId.set(id, tiers)
  }
  return models.map(m => (byId.has(m.id) ? { ...m, pricing: { ...m.pricing, serviceTiers: byId.get(m.id) } } : m))
}

// "GPT-5.6 Sol’s promotional pricing is available at least through November 21, 2026." What the
// price becomes after that is not announced: the model's prices are flagged with the date.
const PROMOTION = /\b(GPT-[\w.]+(?: [A-Z][a-z]+)*)['’]s promotional pricing is available (?:at least )?through ([A-Za-z]+ \d{1,2}, \d{4})/g

function withPromotions(models: ParsedModel[], text: string): ParsedModel[] {
  const through = new Map<string, string>()
  for (const m of text.matchAll(PROMOTION)) through.set(m[1]!.toLowerCase().replace(/\s+/g, '-'), endOfUtcDay(m[2]!, PAGE).toISOString())
  if ((text.match(/promotional pric/gi) ?? []).length !== through.size) throw new PricingParseError(`${PAGE}: a promotional-price note this parser does not read`)
  for (const id of through.keys()) {
    if (!models.some(m => m.id === id)) throw new PricingParseError(`${PAGE}: a promotional price for ${id}, which the page does not price`)
  }
  return models.map(m => (through.has(m.id) ? { ...m, pricing: { ...m.pricing, promotionalThrough: through.get(m.id) } } : m))
}

function pageTables(text: string): PriceTable[] {
  if (/<astro-island\b/i.test(text)) return htmlTables(text)
  // The early-2026 MDX source keeps rows in JSX props; reading those would mean evaluating code.
  if (/<(TextTokenPricingTables|GroupedPricingTable|PricingTable)\b/.test(text)) {
    throw new PricingParseError(`${PAGE}: MDX component form (rows={[...]}) is not supported; fetch pricing.md or the HTML page`)
  }
  if (/^\s*<(!doctype|html)\b/i.test(text)) throw new PricingParseError(`${PAGE}: HTML without astro-island pricing data`)
  return markdownTables(text)
}

/** The one long-context threshold stated anywhere on the page; several different ones are ambiguous. */
function statedThreshold(tables: PriceTable[]): number | undefined {
  const found = new Set<number>()
  for (const t of tables) {
    if (t.longAbove) found.add(t.longAbove)
    for (const row of t.rows) {
      const marker = typeof row[0] === 'string' ? CONTEXT_MARKER.exec(row[0]) : null
      if (marker) found.add(parseTokenCount(marker[1]!))
    }
  }
  return found.size === 1 ? [...found][0] : undefined
}

function modelsOf(table: PriceTable, pageLongAbove: number | undefined): ParsedModel[] {
  const roles = table.header.map(h => ROLES[headerKey(h)])
  if (roles.some(r => r === undefined) || !roles.includes('model') || !roles.includes('input')) return []
  return table.rows.flatMap((cells) => {
    const row = new Map(roles.map((role, i) => [role!, cells[i]]))
    return modelOf(row, table.longAbove ?? pageLongAbove)
  })
}

function modelOf(row: Map<Role, Cell>, longAbove: number | undefined): ParsedModel[] {
  const category = String(row.get('category') ?? '').trim().toLowerCase()
  if (category === 'moderation') return []
  const name = String(row.get('model') ?? '').trim()
  const id = name.replace(/\s*\(.*\)\s*$/, '')
  if (!MODEL_ID.test(id)) throw new PricingParseError(`${PAGE}: unexpected model name "${name}"`)

  const input = parsePrice(row.get('input'))
  if (input === undefined) return [] // listed without a price (e.g. access-gated models)
  const mode = category === 'embedding' ? 'embedding' : 'chat'
  const output = parsePrice(row.get('output')) ?? (mode === 'embedding' ? 0 : undefined)
  if (output === undefined) throw new PricingParseError(`${PAGE}: ${id} has an input price but no output price`)

  const marker = CONTEXT_MARKER.exec(name)
  const tier = longContextTier(id, row, marker ? parseTokenCount(marker[1]!) : longAbove)
  return [{
    id,
    mode,
    pricing: compact({
      input,
      cachedInput: parsePrice(row.get('cachedInput')),
      cacheWrite: parsePrice(row.get('cacheWrite')),
      output,
      tiers: tier && [tier],
    }),
  }]
}

function longContextTier(id: string, row: Map<Role, Cell>, aboveTokens: number | undefined): LongContextTier | undefined {
  const input = parsePrice(row.get('longInput'))
  const output = parsePrice(row.get('longOutput'))
  if (input === undefined && output === undefined) return undefined
  if (input === undefined || output === undefined) throw new PricingParseError(`${PAGE}: ${id} has an incomplete long-context price`)
  if (aboveTokens === undefined) throw new PricingParseError(`${PAGE}: ${id} has long-context prices but the page states no threshold`)
  return compact({ aboveTokens, input, cachedInput: parsePrice(row.get('longCachedInput')), cacheWrite: parsePrice(row.get('longCacheWrite')), output })
}

// ---- Markdown twin --------------------------------------------------------------------------------

// A table's tier is named by its heading ("### Batch pricing data") or by the tab label line just
// above it ("Batch", "Fast mode"); tables with neither (e.g. "Cyber models") have a single tier.
function markdownTables(text: string): PriceTable[] {
  const tables: PriceTable[] = []
  let tier: string | undefined
  for (const block of markdownBlocks(text)) {
    if (block.kind === 'heading') {
      const named = /^(.+) pricing data$/i.exec(block.text)
      if (named) tier = TIER_LABELS[headerKey(named[1]!)] ?? headerKey(named[1]!)
    }
    else if (block.kind === 'line') {
      tier = TIER_LABELS[headerKey(block.text)] ?? tier
    }
    else {
      tables.push({ tier, header: block.header, rows: block.rows })
      tier = undefined
    }
  }
  return tables
}

// ---- Astro HTML ------------------------------------------------------------------------------------

const PRICING_COMPONENTS = new Set(['TextTokenPricingTables', 'GroupedPricingTable', 'PricingTable'])

/** One pricing astro-island: its decoded props and the table it rendered server-side, as text. */
interface Island {
  component: string
  props: Record<string, unknown>
  /** The tier tab ("standard", "batch"...) the island sits in, if any. */
  pane: string | undefined
  /** Header rows with colspans expanded, so every row has one entry per column. */
  head: string[][]
  body: string[][]
}

function htmlTables(html: string): PriceTable[] {
  return islands(html).map((island) => {
    if (island.component === 'TextTokenPricingTables') return textTokenTable(island)
    if (island.component === 'GroupedPricingTable') return groupedTable(island)
    return plainTable(island)
  })
}

function islands(html: string): Island[] {
  const $ = load(html)
  return $('astro-island[props]').toArray().flatMap((el) => {
    const island = $(el)
    const component = island.attr('component-export') ?? ''
    if (!PRICING_COMPONENTS.has(component)) return []
    const table = island.find('table').first()
    return [{
      component,
      props: astroProps(island.attr('props')!),
      pane: island.closest('[data-content-switcher-pane]').attr('data-value')?.toLowerCase(),
      head: table.find('thead tr').toArray().map(tr => $(tr).children('th').toArray().flatMap(th =>
        Array<string>(Number($(th).attr('colspan') ?? 1)).fill($(th).text().trim()))),
      body: table.find('tbody tr').toArray().map(tr => $(tr).children('td').toArray().map(td => $(td).text().trim())),
    }]
  })
}

/** Astro serialises each prop as [type, value]: 0 a plain value (objects recurse), 1 an array. */
function astroProps(json: string): Record<string, unknown> {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  }
  catch {
    throw new PricingParseError(`${PAGE}: astro-island props are not JSON`)
  }
  return reviveObject(raw)
}

function reviveObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object') throw new PricingParseError(`${PAGE}: malformed astro-island props`)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]))
}

function revive(node: unknown): unknown {
  if (!Array.isArray(node)) throw new PricingParseError(`${PAGE}: malformed astro-island props`)
  const [type, value] = node as [unknown, unknown]
  if (type === 1 && Array.isArray(value)) return value.map(revive)
  if (type !== 0) throw new PricingParseError(`${PAGE}: unsupported astro prop type ${String(type)}`)
  return value !== null && typeof value === 'object' ? reviveObject(value) : value
}

const PropCell = z.union([z.string(), z.number(), z.null(), z.object({ __pricingHtml: z.string() })]).optional()
const Tooltip = z.object({ __pricingTooltipHeading: z.object({ label: z.string(), tooltip: z.string().optional() }) })
const Heading = z.union([z.string(), Tooltip])
const TextTokenProps = z.object({ tier: z.string().optional(), rows: z.array(z.array(PropCell)) })
const GroupedProps = z.object({
  headings: z.array(Heading),
  headingGroups: z.array(z.object({ label: Heading })).optional(),
  groups: z.array(z.object({ model: z.string(), rows: z.array(z.array(PropCell)) })),
})
const PlainTableProps = z.object({ headings: z.array(Heading), rows: z.array(z.array(PropCell)) })

function islandProps<T>(schema: z.ZodType<T>, island: Island): T {
  const parsed = schema.safeParse(island.props)
  if (!parsed.success) throw new PricingParseError(`${PAGE}: unexpected ${island.component} props`)
  return parsed.data
}

function cellValue(cell: z.infer<typeof PropCell>): Cell {
  return cell !== null && typeof cell === 'object' ? load(cell.__pricingHtml).text() : cell
}

function headingText(h: z.infer<typeof Heading>): string {
  return typeof h === 'string' ? h : h.__pricingTooltipHeading.label
}

// TextTokenPricingTables props hold only the short-context prices; the long-context columns are
// computed by client code and appear in the HTML only for the rows rendered server-side (the first
// few). Those rendered rows are used whole. The others keep their short-context prices and get no
// tier: their long-context prices are not on the page, and computing them would be a guess.
function textTokenTable(island: Island): PriceTable {
  const { tier, rows } = islandProps(TextTokenProps, island)
  const labels = island.head.at(-1) ?? []
  if (labels.length === 0) throw new PricingParseError(`${PAGE}: text token table without a rendered header`)
  const groups = island.head.length > 1 ? island.head[0]! : []
  const header = labels.map((label, i) => [groups[i], label].filter(Boolean).join(' '))
  const rendered = new Map(island.body.filter(cells => cells.length === header.length).map(cells => [cells[0], cells]))

  const shortHeader = header.filter(h => !/^long context/i.test(h))
  // Rows from before cache writes were priced leave that column out.
  const legacyHeader = shortHeader.filter(h => !/cache writes$/i.test(h))
  const tableRows = rows.map((row): Cell[] => {
    const cells = row.map(cellValue)
    const full = rendered.get(String(cells[0]))
    if (full) return full
    const names = cells.length === shortHeader.length ? shortHeader : cells.length === legacyHeader.length ? legacyHeader : undefined
    if (!names) throw new PricingParseError(`${PAGE}: a row of ${cells.length} cells in a table of ${header.length} columns`)
    return header.map(h => names.includes(h) ? cells[names.indexOf(h)] : undefined)
  })
  return { tier: island.pane ?? tier?.toLowerCase(), header, rows: tableRows }
}

function groupedTable(island: Island): PriceTable {
  const { headings, headingGroups, groups } = islandProps(GroupedProps, island)
  return {
    tier: island.pane,
    header: headings.map(headingText),
    rows: groups.flatMap(g => g.rows.map(cells => [g.model, ...cells.map(cellValue)])),
    longAbove: thresholdFromGroups(headingGroups ?? []),
  }
}

function plainTable(island: Island): PriceTable {
  const { headings, rows } = islandProps(PlainTableProps, island)
  return { tier: island.pane, header: headings.map(headingText), rows: rows.map(r => r.map(cellValue)) }
}

/** ">272K input tokens", the tooltip of a "Long context" heading group. */
function thresholdFromGroups(groups: { label: z.infer<typeof Heading> }[]): number | undefined {
  for (const { label } of groups) {
    const tooltip = typeof label === 'string' ? undefined : label.__pricingTooltipHeading.tooltip
    const above = tooltip && /^\s*>\s*(\d+(?:\.\d+)?\s*[km])\s+input tokens/i.exec(tooltip)
    if (above) return parseTokenCount(above[1]!)
  }
  return undefined
}

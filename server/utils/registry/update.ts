// The registry update: read each provider's pricing page, parse it, check it, merge it, store the
// result (keeping a .bak) and record every price change. Providers are independent: one failing
// leaves the others' updates in place. Also rollback to the .bak.
import { consola } from 'consola'
import { errorMessage } from '../core/error-message'
import { recordPriceChanges } from './price-history'
import { diffPricing } from './diff'
import { htmlToMarkdown } from './html-to-markdown'
import { type ModelLimits, mergeProvider, type PriceChange } from './merge'
import { parsePricingPage } from './parsers'
import { type ModelEntry, PROVIDERS, type ProviderId, Registry } from './schema'
import { fetchPage, sourceUrls } from './sources'
import { changeRegistry, readStored, REGISTRY_BACKUP_KEY, saveRegistry } from './store'
import { FACTS } from './seed'
import { refuseReason } from './validate'

export interface UpdateSummary {
  changed: PriceChange[]
  added: string[]
  notSeen: string[]
  failed: Partial<Record<ProviderId, string>>
  unchanged: number
  updatedAt: string
}

/** What a provider's own model list adds to data/model-aliases.json. */
export interface ProviderModelList {
  /** Page names → API ids. */
  displayNames: Record<string, string>
  /** Limits the list reports per API id. */
  limits: ModelLimits
}

/** Where an update reads from: the pricing pages, and a provider's own model list. */
export interface UpdateSources {
  fetchPage?: (url: string) => Promise<string>
  /** The provider's model list (none when unset). */
  modelList?: (provider: ProviderId) => Promise<ProviderModelList>
}

type ProviderPage = { provider: ProviderId, url: string, models: ReturnType<typeof parsePricingPage>, limits: ModelLimits } | { provider: ProviderId, url: string, error: string }

const looksLikeHtml = (text: string) => /^\s*(<!doctype html|<html)/i.test(text)

/** Tries the Markdown twin, then the HTML page; the first that parses wins. */
async function readProvider(provider: ProviderId, { fetchPage: fetcher = fetchPage, modelList }: UpdateSources): Promise<ProviderPage> {
  const errors: string[] = []
  const { displayNames, limits } = await modelList?.(provider) ?? { displayNames: {}, limits: {} }
  for (const url of sourceUrls(provider)) {
    try {
      const text = await fetcher(url)
      // The OpenAI parser reads its HTML page natively; the others read the HTML's tables as Markdown.
      const page = looksLikeHtml(text) && provider !== 'openai' ? htmlToMarkdown(text) : text
      return { provider, url, models: parsePricingPage(provider, page, { displayNames }), limits: knownLimits(limits) }
    }
    catch (error) {
      errors.push(`${url}: ${errorMessage(error)}`)
    }
  }
  return { provider, url: sourceUrls(provider)[0]!, error: errors.join('; ') }
}

let running: Promise<UpdateSummary> | undefined

/** Runs one update; a call while one is running shares its result. */
export function updateRegistry(sources: UpdateSources = {}): Promise<UpdateSummary> {
  running ??= runUpdate(sources).finally(() => { running = undefined })
  return running
}

/** The provider's model list's limits over the maintained data's: the provider's own figures are current. */
function knownLimits(listed: ModelLimits): ModelLimits {
  const ids = new Set([...Object.keys(FACTS), ...Object.keys(listed)])
  return Object.fromEntries([...ids].map(id => [id, { ...FACTS[id], ...listed[id] }]))
}

async function runUpdate(sources: UpdateSources): Promise<UpdateSummary> {
  // Pages are read before the lock is taken: the lock is held only while the registry changes.
  const pages = await Promise.all(PROVIDERS.map(p => readProvider(p, sources)))
  return changeRegistry(current => applyPages(current, pages))
}

async function applyPages(current: Registry, pages: ProviderPage[]): Promise<UpdateSummary> {
  const now = new Date().toISOString()
  const summary: UpdateSummary = { changed: [], added: [], notSeen: [], failed: {}, unchanged: 0, updatedAt: now }
  const history: PriceChange[] = []
  let models: ModelEntry[] = current.models
  const sources = { ...current.sources }

  for (const page of pages) {
    const previous = sources[page.provider]
    const reason = 'error' in page ? page.error : refuseReason(page.provider, page.models, models)
    if (reason !== undefined || 'error' in page) {
      summary.failed[page.provider] = reason
      sources[page.provider] = { ...previous, url: page.url, fetchedAt: now, ok: false, error: reason }
      consola.warn(`[registry] ${page.provider} not updated: ${reason}`)
      continue
    }
    const merged = mergeProvider(models, page.provider, page.models, now, page.limits)
    models = merged.models
    summary.changed.push(...merged.changed)
    summary.added.push(...merged.added)
    summary.notSeen.push(...merged.notSeen)
    summary.unchanged += merged.unchanged
    history.push(...merged.changed)
    for (const id of merged.added) {
      const entry = models.find(m => m.id === id && m.provider === page.provider)!
      history.push(...diffPricing(undefined, entry.pricing).map(c => ({ id, provider: page.provider, ...c })))
    }
    sources[page.provider] = { url: page.url, fetchedAt: now, ok: true, lastSuccessAt: now, models: page.models.length }
  }

  const modelsChanged = summary.changed.length + summary.added.length + summary.notSeen.length > 0
  const next = Registry.parse({
    version: current.version + (modelsChanged ? 1 : 0),
    updatedAt: modelsChanged ? now : current.updatedAt,
    sources,
    models,
  })
  await saveRegistry(next, { backupCurrent: modelsChanged })
  await recordPriceChanges(history, 'scrape')
  return summary
}

/** Puts models.json.bak back in force; the registry it replaces becomes the new .bak. */
export function rollbackRegistry(): Promise<{ version: number, changed: PriceChange[] } | undefined> {
  return changeRegistry(current => rollbackFrom(current))
}

async function rollbackFrom(current: Registry): Promise<{ version: number, changed: PriceChange[] } | undefined> {
  const backup = await readStored(REGISTRY_BACKUP_KEY)
  if (!backup) return undefined
  const changed: PriceChange[] = []
  for (const m of backup.models) {
    const before = current.models.find(c => c.id === m.id && c.provider === m.provider)
    changed.push(...diffPricing(before?.pricing, m.pricing).map(c => ({ id: m.id, provider: m.provider, ...c })))
  }
  await saveRegistry(Registry.parse(backup), { backupCurrent: true })
  await recordPriceChanges(changed, 'rollback')
  return { version: backup.version, changed }
}

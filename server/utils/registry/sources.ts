// Where each provider's prices are read: the Markdown twin of the official pricing page (steadier
// than the HTML), with the HTML page as the fallback. REGISTRY_<PROVIDER>_URL overrides the first.
import { ofetch } from 'ofetch'
import { config } from '../core/config'
import type { ProviderId } from './schema'

/** The official pricing pages (their Markdown twins). */
export const PRICING_PAGE_URLS: Record<ProviderId, string> = {
  openai: 'https://developers.openai.com/api/docs/pricing.md',
  anthropic: 'https://platform.claude.com/docs/en/about-claude/pricing.md',
  google: 'https://ai.google.dev/gemini-api/docs/pricing.md.txt',
}

export function sourceUrls(provider: ProviderId): string[] {
  const primary = config().pricingUrls[provider] ?? PRICING_PAGE_URLS[provider]
  const html = primary.replace(/\.md(\.txt)?$/, '')
  return html === primary ? [primary] : [primary, html]
}

const USER_AGENT = 'llm-gateway-registry/1.0 (pricing registry update; +https://github.com/llm-gateway)'

export async function fetchPage(url: string): Promise<string> {
  return ofetch(url, {
    responseType: 'text',
    timeout: 20_000,
    retry: 2,
    retryDelay: 1_000,
    headers: { 'user-agent': USER_AGENT, 'accept': 'text/markdown, text/plain, text/html;q=0.9, */*;q=0.5' },
  })
}

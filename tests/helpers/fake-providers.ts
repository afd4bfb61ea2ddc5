// The three strict fake providers started together, the gateway environment that points at them,
// and the registry cost of a request-log row computed apart from the gateway's own code.
import { type FakeAnthropic, startFakeAnthropic } from './fake-anthropic'
import { type FakeGemini, startFakeGemini } from './fake-gemini'
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai'
import type { GatewayProcess } from './gateway'

export interface FakeProviders {
  openai: FakeOpenAI
  anthropic: FakeAnthropic
  gemini: FakeGemini
  /** The gateway's environment: each provider's key and base URL. */
  env: Record<string, string>
  close: () => Promise<void>
}

export async function startFakeProviders(): Promise<FakeProviders> {
  const [openai, anthropic, gemini] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakeGemini()])
  return {
    openai,
    anthropic,
    gemini,
    env: {
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.url,
      ANTHROPIC_API_KEY: anthropic.apiKey,
      ANTHROPIC_BASE_URL: anthropic.url,
      GEMINI_API_KEY: gemini.apiKey,
      GEMINI_BASE_URL: gemini.url,
    },
    close: async () => { await Promise.all([openai.close(), anthropic.close(), gemini.close()]) },
  }
}

/**
 * The registry cost of a logged row in nano-dollars, computed independently of the gateway's own code:
 * tokens × USD per 1M tokens is tokens × (price × 1e6) pico-dollars, summed and rounded half up once.
 */
export async function registryCost(gw: GatewayProcess, row: { model: string, promptTokens: number, cachedTokens: number, cacheWriteTokens: number, cacheWrite1hTokens?: number, completionTokens: number }): Promise<number> {
  const p = (await gw.admin('GET', '/api/admin/models')).body.models.find((m: any) => m.id === row.model).pricing
  const pico = (tokens: number, usdPerMillion: number) => BigInt(tokens) * BigInt(Math.round(usdPerMillion * 1e6))
  const oneHour = row.cacheWrite1hTokens ?? 0
  const uncached = row.promptTokens - row.cachedTokens - row.cacheWriteTokens
  const total = pico(uncached, p.input) + pico(row.cachedTokens, p.cachedInput ?? p.input)
    + pico(row.cacheWriteTokens - oneHour, p.cacheWrite ?? p.input) + pico(oneHour, p.cacheWrite1h ?? p.cacheWrite ?? p.input)
    + pico(row.completionTokens, p.output)
  return Number((total + 500n) / 1000n)
}

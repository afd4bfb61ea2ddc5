// The golden corpus (tests/fixtures/cost-golden.json): recorded-shape usage objects of each provider
// (non-streamed answers and streams), read by the real adapters and priced from the saved pricing
// pages, each with the bill worked out by hand from the page's prices: its lines (token class ×
// tokens × USD per 1M tokens) and its total in nano-dollars (a token at $X/1M costs X × 1000
// nano-dollars). A failure prints every line the gateway billed beside the lines by hand. The tier
// that served (OpenAI's `service_tier` beside the usage, Anthropic's inside it) picks the tier's
// prices; audio tokens are billed apart where the page prices audio apart; Anthropic's
// `inference_geo: "us"` multiplies every token price by 1.1 on Claude 4.6 and later, and its web
// searches cost $10 per 1,000 (a line of calls at $10 000 per 1M calls).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { anthropic } from '../../server/utils/providers/anthropic'
import { google } from '../../server/utils/providers/google'
import { openai } from '../../server/utils/providers/openai'
import type { UpstreamTarget } from '../../server/utils/providers/types'
import { type CostLine, costLines, costNanoUsd, type TokenUsage } from '../../server/utils/registry/cost'
import type { ModelEntry, ProviderId } from '../../server/utils/registry/schema'
import { buildSeedRegistry, readSavedPages } from '../../server/utils/registry/seed'
import goldenCases from '../fixtures/cost-golden.json'

const SHARED = path.resolve(__dirname, '../../../shared/fixtures/pricing')
const missing = !existsSync(SHARED)
if (missing) console.warn(`[cost-golden] skipped: the saved pricing pages are missing at ${SHARED}`)
/** When the pages are read: before Gemini 3.6/3.7 Flash's announced change, which is then scheduled. */
const READ_AT = '2026-11-26T12:00:00.000Z'

interface GoldenCase {
  provider: ProviderId
  model: string
  /** When the request was made (UTC). */
  at: string
  stream: boolean
  note: string
  /** The provider's usage object as its API sends it (Gemini: usageMetadata). */
  usage: any
  /** OpenAI's `service_tier` beside the usage, on the answer and every chunk ("default", "flex", "priority"...). */
  serviceTier?: string
  /** The bill by hand: [class, tokens, USD per 1M tokens on the page (× the multiplier), the inference-geography multiplier if any]. */
  lines: [CostLine['class'], number, number, number?][]
  nano: number
}

const OPTS = { includeUsage: true, id: 'chatcmpl-golden', created: 0 }

/** The usage the gateway meters for `c`, read by the provider's adapter as the answer or stream would carry it. */
function meteredUsage(c: GoldenCase, target: UpstreamTarget): TokenUsage {
  const json = (v: object) => JSON.stringify(v)
  if (c.provider === 'openai') {
    if (target.entry.mode === 'embedding') {
      return openai.embeddings!.response(json({ object: 'list', data: [], model: c.model, usage: c.usage }), target, { model: c.model, input: 'x' }).usage
    }
    const base = { id: 'chatcmpl-golden', created: 0, model: c.model, ...c.serviceTier ? { service_tier: c.serviceTier } : {} }
    if (!c.stream) return openai.chat.response(json({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: c.usage }), target).usage
    const t = openai.chat.stream(target, OPTS)
    t.push({ data: json({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }], usage: null }) })
    t.push({ data: json({ ...base, object: 'chat.completion.chunk', choices: [], usage: c.usage }) })
    t.push({ data: '[DONE]' })
    t.end()
    return t.usage()!
  }
  if (c.provider === 'anthropic') {
    const message = { id: 'msg_golden', type: 'message', role: 'assistant', model: c.model, stop_sequence: null }
    if (!c.stream) return anthropic.chat.response(json({ ...message, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: c.usage }), target).usage
    // message_start carries the input counts and a first output count; message_delta the final output count.
    const t = anthropic.chat.stream(target, OPTS)
    const events: [string, object][] = [
      ['message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...c.usage, output_tokens: Math.min(1, c.usage.output_tokens) } } }],
      ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'ok' } }],
      ['content_block_stop', { index: 0 }],
      ['message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: c.usage.output_tokens } }],
      ['message_stop', {}],
    ]
    for (const [event, data] of events) t.push({ event, data: json({ type: event, ...data }) })
    t.end()
    return t.usage()!
  }
  const candidate = (text: string, finishReason?: string) => ({ content: { role: 'model', parts: [{ text }] }, index: 0, ...finishReason ? { finishReason } : {} })
  if (!c.stream) return google.chat.response(json({ candidates: [candidate('ok', 'STOP')], usageMetadata: c.usage, modelVersion: c.model }), target).usage
  // Gemini streams repeat usageMetadata on each chunk; the last one is complete.
  const t = google.chat.stream(target, OPTS)
  t.push({ data: json({ candidates: [candidate('o')], usageMetadata: { promptTokenCount: c.usage.promptTokenCount }, modelVersion: c.model }) })
  t.push({ data: json({ candidates: [candidate('k', 'STOP')], usageMetadata: c.usage, modelVersion: c.model }) })
  t.end()
  return t.usage()!
}

const show = (lines: CostLine[]) => lines.map(l => `${l.class} ${l.tokens} × $${l.usdPerMillion}/1M = ${l.tokens * l.usdPerMillion * 1000} nano`).join('; ') || 'no lines'

const CASES = goldenCases as GoldenCase[]

describe.skipIf(missing)(missing ? `cost golden corpus (skipped: no saved pages at ${SHARED})` : 'cost golden corpus', () => {
  const models = new Map<string, ModelEntry>()
  const entry = (id: string) => {
    if (!models.size) for (const m of buildSeedRegistry(readSavedPages(SHARED), READ_AT).models) models.set(m.id, m)
    const found = models.get(id)
    if (!found) throw new Error(`${id} is not on the saved pages`)
    return found
  }

  it('holds at least 25 cases for each provider, streamed and not', () => {
    for (const provider of ['openai', 'anthropic', 'google'] as const) {
      const own = CASES.filter(c => c.provider === provider)
      expect(own.length, provider).toBeGreaterThanOrEqual(25)
      expect(own.some(c => c.stream) && own.some(c => !c.stream), provider).toBe(true)
    }
  })

  it.each(CASES.map(c => [`${c.provider} ${c.model}${c.stream ? ' (stream)' : ''}: ${c.note}`, c] as const))('%s', (_name, c) => {
    const e = entry(c.model)
    const usage = meteredUsage(c, { provider: c.provider, model: c.model, entry: e, baseUrl: '', apiKey: '' })
    const at = Date.parse(c.at)
    const billed = costLines(e.pricing!, usage, at)
    const expected = c.lines.map(([cls, tokens, usdPerMillion, multiplier]) => ({ class: cls, tokens, usdPerMillion, ...multiplier ? { multiplier } : {} }))
    expect(billed, `billed: ${show(billed)}\nby hand: ${show(expected)}`).toEqual(expected)
    expect(costNanoUsd(e.pricing!, usage, at), `billed: ${show(billed)}`).toBe(c.nano)
  })
})

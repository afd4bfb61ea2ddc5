// The golden corpus: recorded-shape usage objects of each provider (non-streamed answers and
// streams), read by the real adapters and priced from the saved pricing pages, each with the bill
// worked out by hand from the page's prices: its lines (token class × tokens × USD per 1M tokens)
// and its total in nano-dollars (a token at $X/1M costs X × 1000 nano-dollars). A failure prints
// every line the gateway billed. Classes not modelled yet (audio, tiers, tool fees) are billed as
// text at the standard price, as the cases that carry them say.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { adapters } from '../../server/utils/providers'
import type { UpstreamTarget } from '../../server/utils/providers/types'
import { type CostLine, costLines, costNanoUsd, type TokenUsage } from '../../server/utils/registry/cost'
import type { ModelEntry, ProviderId } from '../../server/utils/registry/schema'
import { buildSeedRegistry, readSavedPages } from '../../server/utils/registry/seed'

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
  /** The bill by hand: [class, tokens, USD per 1M tokens on the page]. */
  lines: [CostLine['class'], number, number][]
  nano: number
}

const OPTS = { includeUsage: true, id: 'chatcmpl-golden', created: 0 }

/** The usage the gateway meters for `c`, read by the provider's adapter as the answer or stream would carry it. */
function meteredUsage(c: GoldenCase, target: UpstreamTarget): TokenUsage {
  const json = (v: object) => JSON.stringify(v)
  if (c.provider === 'openai') {
    if (target.entry.mode === 'embedding') {
      return adapters.openai.embeddings!.response(json({ object: 'list', data: [], model: c.model, usage: c.usage }), target, { model: c.model, input: 'x' }).usage
    }
    const base = { id: 'chatcmpl-golden', created: 0, model: c.model }
    if (!c.stream) return adapters.openai.chat.response(json({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: c.usage }), target).usage
    const t = adapters.openai.chat.stream(target, OPTS)
    t.push({ data: json({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }], usage: null }) })
    t.push({ data: json({ ...base, object: 'chat.completion.chunk', choices: [], usage: c.usage }) })
    t.push({ data: '[DONE]' })
    t.end()
    return t.usage()!
  }
  if (c.provider === 'anthropic') {
    const message = { id: 'msg_golden', type: 'message', role: 'assistant', model: c.model, stop_sequence: null }
    if (!c.stream) return adapters.anthropic.chat.response(json({ ...message, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: c.usage }), target).usage
    // message_start carries the input counts and a first output count; message_delta the final output count.
    const t = adapters.anthropic.chat.stream(target, OPTS)
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
  if (!c.stream) return adapters.google.chat.response(json({ candidates: [candidate('ok', 'STOP')], usageMetadata: c.usage, modelVersion: c.model }), target).usage
  // Gemini streams repeat usageMetadata on each chunk; the last one is complete.
  const t = adapters.google.chat.stream(target, OPTS)
  t.push({ data: json({ candidates: [candidate('o')], usageMetadata: { promptTokenCount: c.usage.promptTokenCount }, modelVersion: c.model }) })
  t.push({ data: json({ candidates: [candidate('k', 'STOP')], usageMetadata: c.usage, modelVersion: c.model }) })
  t.end()
  return t.usage()!
}

const show = (lines: CostLine[]) => lines.map(l => `${l.class} ${l.tokens} × $${l.usdPerMillion}/1M = ${l.tokens * l.usdPerMillion * 1000} nano`).join('; ') || 'no lines'

const CASES: GoldenCase[] = [
  {
    provider: 'openai', model: 'gpt-4o-mini', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'plain prompt and completion',
    usage: { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 1234, 0.15], ['output', 56, 0.6]],
    nano: 218_700,
  },
  {
    provider: 'openai', model: 'gpt-4o-mini', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'the same, streamed (final usage chunk)',
    usage: { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 1234, 0.15], ['output', 56, 0.6]],
    nano: 218_700,
  },
  {
    provider: 'openai', model: 'gpt-4o-mini', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'cached input at half price',
    usage: { prompt_tokens: 2048, completion_tokens: 10, total_tokens: 2058, prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 1024, 0.15], ['cachedInput', 1024, 0.075], ['output', 10, 0.6]],
    nano: 236_400,
  },
  {
    provider: 'openai', model: 'gpt-4o-mini', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'three prompt tokens, one completion token',
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 3, 0.15], ['output', 1, 0.6]],
    nano: 1_050,
  },
  {
    provider: 'openai', model: 'gpt-4.1', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'cached input, streamed',
    usage: { prompt_tokens: 10000, completion_tokens: 2000, total_tokens: 12000, prompt_tokens_details: { cached_tokens: 8064, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 1936, 2], ['cachedInput', 8064, 0.5], ['output', 2000, 8]],
    nano: 23_904_000,
  },
  {
    provider: 'openai', model: 'gpt-4.1-nano', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'a million tokens and one',
    usage: { prompt_tokens: 1000001, completion_tokens: 1, total_tokens: 1000002, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 1000001, 0.1], ['output', 1, 0.4]],
    nano: 100_000_500,
  },
  {
    provider: 'openai', model: 'gpt-5-mini', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'reasoning tokens billed once, inside the completion',
    usage: { prompt_tokens: 500, completion_tokens: 3000, total_tokens: 3500, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 2800, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 500, 0.25], ['output', 3000, 2]],
    nano: 6_125_000,
  },
  {
    provider: 'openai', model: 'gpt-5-mini', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'reasoning and cache, streamed',
    usage: { prompt_tokens: 500, completion_tokens: 3000, total_tokens: 3500, prompt_tokens_details: { cached_tokens: 128, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 2800, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 372, 0.25], ['cachedInput', 128, 0.025], ['output', 3000, 2]],
    nano: 6_096_200,
  },
  {
    provider: 'openai', model: 'gpt-5-nano', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'tiny request at a sub-cent price',
    usage: { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 7, 0.05], ['output', 9, 0.4]],
    nano: 3_950,
  },
  {
    provider: 'openai', model: 'o4-mini', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'o4-mini cached and reasoning',
    usage: { prompt_tokens: 4321, completion_tokens: 1234, total_tokens: 5555, prompt_tokens_details: { cached_tokens: 1152, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 1000, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 3169, 1.1], ['cachedInput', 1152, 0.275], ['output', 1234, 4.4]],
    nano: 9_232_300,
  },
  {
    provider: 'openai', model: 'gpt-5.5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'at the 272K threshold: short-context prices',
    usage: { prompt_tokens: 272000, completion_tokens: 1000, total_tokens: 273000, prompt_tokens_details: { cached_tokens: 100000, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 172000, 5], ['cachedInput', 100000, 0.5], ['output', 1000, 30]],
    nano: 940_000_000,
  },
  {
    provider: 'openai', model: 'gpt-5.5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'one token above 272K: long-context prices for the whole request',
    usage: { prompt_tokens: 272001, completion_tokens: 1000, total_tokens: 273001, prompt_tokens_details: { cached_tokens: 100000, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 172001, 10], ['cachedInput', 100000, 1], ['output', 1000, 45]],
    nano: 1_865_010_000,
  },
  {
    provider: 'openai', model: 'gpt-5.5', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'long context, streamed',
    usage: { prompt_tokens: 300000, completion_tokens: 5000, total_tokens: 305000, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 300000, 10], ['output', 5000, 45]],
    nano: 3_225_000_000,
  },
  {
    provider: 'openai', model: 'gpt-5.6-sol', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'cache writes below 272K',
    usage: { prompt_tokens: 20000, completion_tokens: 500, total_tokens: 20500, prompt_tokens_details: { cached_tokens: 4096, audio_tokens: 0, cache_write_tokens: 15904 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['cachedInput', 4096, 0.4], ['cacheWrite', 15904, 5], ['output', 500, 20]],
    nano: 91_158_400,
  },
  {
    provider: 'openai', model: 'gpt-5.6-sol', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'cache writes below 272K, streamed',
    usage: { prompt_tokens: 20000, completion_tokens: 500, total_tokens: 20500, prompt_tokens_details: { cached_tokens: 4096, audio_tokens: 0, cache_write_tokens: 15904 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['cachedInput', 4096, 0.4], ['cacheWrite', 15904, 5], ['output', 500, 20]],
    nano: 91_158_400,
  },
  {
    provider: 'openai', model: 'gpt-5.6-sol', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'cache writes above 272K at the long-context write price',
    usage: { prompt_tokens: 280000, completion_tokens: 500, total_tokens: 280500, prompt_tokens_details: { cached_tokens: 4096, audio_tokens: 0, cache_write_tokens: 275904 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['cachedInput', 4096, 0.8], ['cacheWrite', 275904, 10], ['output', 500, 30]],
    nano: 2_777_316_800,
  },
  {
    provider: 'openai', model: 'gpt-5.6-sol', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'cache writes above 272K, streamed',
    usage: { prompt_tokens: 280000, completion_tokens: 500, total_tokens: 280500, prompt_tokens_details: { cached_tokens: 4096, audio_tokens: 0, cache_write_tokens: 275904 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['cachedInput', 4096, 0.8], ['cacheWrite', 275904, 10], ['output', 500, 30]],
    nano: 2_777_316_800,
  },
  {
    provider: 'openai', model: 'gpt-5.6-sol', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'all written at exactly 272K: short-context write price',
    usage: { prompt_tokens: 272000, completion_tokens: 100, total_tokens: 272100, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0, cache_write_tokens: 272000 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['cacheWrite', 272000, 5], ['output', 100, 20]],
    nano: 1_362_000_000,
  },
  {
    provider: 'openai', model: 'gpt-5.6-luna', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'luna: every class below the threshold',
    usage: { prompt_tokens: 50000, completion_tokens: 2000, total_tokens: 52000, prompt_tokens_details: { cached_tokens: 10000, audio_tokens: 0, cache_write_tokens: 30000 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 10000, 0.2], ['cachedInput', 10000, 0.02], ['cacheWrite', 30000, 0.25], ['output', 2000, 1.2]],
    nano: 12_100_000,
  },
  {
    provider: 'openai', model: 'gpt-5.6-luna', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'luna: every class above the threshold',
    usage: { prompt_tokens: 400000, completion_tokens: 2000, total_tokens: 402000, prompt_tokens_details: { cached_tokens: 10000, audio_tokens: 0, cache_write_tokens: 30000 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 360000, 0.4], ['cachedInput', 10000, 0.04], ['cacheWrite', 30000, 0.5], ['output', 2000, 1.8]],
    nano: 163_000_000,
  },
  {
    provider: 'openai', model: 'gpt-5.6-luna', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'one written token and one output token',
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0, cache_write_tokens: 1 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['cacheWrite', 1, 0.25], ['output', 1, 1.2]],
    nano: 1_450,
  },
  {
    provider: 'openai', model: 'gpt-5.6-cyber', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'cyber: 1.25\u00d7 cache writes at $15.625',
    usage: { prompt_tokens: 10000, completion_tokens: 1000, total_tokens: 11000, prompt_tokens_details: { cached_tokens: 2000, audio_tokens: 0, cache_write_tokens: 3000 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 5000, 12.5], ['cachedInput', 2000, 1.25], ['cacheWrite', 3000, 15.625], ['output', 1000, 75]],
    nano: 186_875_000,
  },
  {
    provider: 'openai', model: 'gpt-5.6-cyber', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'cyber, streamed',
    usage: { prompt_tokens: 10000, completion_tokens: 1000, total_tokens: 11000, prompt_tokens_details: { cached_tokens: 2000, audio_tokens: 0, cache_write_tokens: 3000 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 5000, 12.5], ['cachedInput', 2000, 1.25], ['cacheWrite', 3000, 15.625], ['output', 1000, 75]],
    nano: 186_875_000,
  },
  {
    provider: 'openai', model: 'gpt-4.1', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'no tokens at all',
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [],
    nano: 0,
  },
  {
    provider: 'openai', model: 'gpt-4o-mini', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'audio input tokens, billed as text (modalities not modelled yet)',
    usage: { prompt_tokens: 1000, completion_tokens: 20, total_tokens: 1020, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 200 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    lines: [['input', 1000, 0.15], ['output', 20, 0.6]],
    nano: 162_000,
  },
  {
    provider: 'openai', model: 'text-embedding-3-small', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'embeddings: input only',
    usage: { prompt_tokens: 8191, total_tokens: 8191 },
    lines: [['input', 8191, 0.02]],
    nano: 163_820,
  },
  {
    provider: 'openai', model: 'text-embedding-3-small', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'embeddings: three tokens',
    usage: { prompt_tokens: 3, total_tokens: 3 },
    lines: [['input', 3, 0.02]],
    nano: 60,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'plain prompt and completion',
    usage: { input_tokens: 1200, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    lines: [['input', 1200, 1], ['output', 300, 5]],
    nano: 2_700_000,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'the same, streamed',
    usage: { input_tokens: 1200, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    lines: [['input', 1200, 1], ['output', 300, 5]],
    nano: 2_700_000,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'cache hit at 0.1\u00d7 input',
    usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 4096, output_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    lines: [['input', 20, 1], ['cachedInput', 4096, 0.1], ['output', 100, 5]],
    nano: 929_600,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: '5-minute cache write at 1.25\u00d7 input',
    usage: { input_tokens: 20, cache_creation_input_tokens: 4096, cache_read_input_tokens: 0, output_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 4096, ephemeral_1h_input_tokens: 0 } },
    lines: [['input', 20, 1], ['cacheWrite', 4096, 1.25], ['output', 100, 5]],
    nano: 5_640_000,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: '1-hour cache write at 2\u00d7 input',
    usage: { input_tokens: 20, cache_creation_input_tokens: 4096, cache_read_input_tokens: 0, output_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 4096 } },
    lines: [['input', 20, 1], ['cacheWrite1h', 4096, 2], ['output', 100, 5]],
    nano: 8_712_000,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: true, note: '1-hour cache write, streamed',
    usage: { input_tokens: 20, cache_creation_input_tokens: 4096, cache_read_input_tokens: 0, output_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 4096 } },
    lines: [['input', 20, 1], ['cacheWrite1h', 4096, 2], ['output', 100, 5]],
    nano: 8_712_000,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'every class at once',
    usage: { input_tokens: 20, cache_creation_input_tokens: 5000, cache_read_input_tokens: 1000, output_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 3000 } },
    lines: [['input', 20, 1], ['cachedInput', 1000, 0.1], ['cacheWrite', 2000, 1.25], ['cacheWrite1h', 3000, 2], ['output', 100, 5]],
    nano: 9_120_000,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'every class at once, streamed',
    usage: { input_tokens: 20, cache_creation_input_tokens: 5000, cache_read_input_tokens: 1000, output_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 3000 } },
    lines: [['input', 20, 1], ['cachedInput', 1000, 0.1], ['cacheWrite', 2000, 1.25], ['cacheWrite1h', 3000, 2], ['output', 100, 5]],
    nano: 9_120_000,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'older answers without cache_creation: writes are 5-minute ones',
    usage: { input_tokens: 20, cache_creation_input_tokens: 4096, cache_read_input_tokens: 0, output_tokens: 100 },
    lines: [['input', 20, 1], ['cacheWrite', 4096, 1.25], ['output', 100, 5]],
    nano: 5_640_000,
  },
  {
    provider: 'anthropic', model: 'claude-sonnet-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'sonnet 5: cache hit and 1-hour write',
    usage: { input_tokens: 3000, cache_creation_input_tokens: 2000, cache_read_input_tokens: 10000, output_tokens: 1500, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 2000 } },
    lines: [['input', 3000, 2], ['cachedInput', 10000, 0.2], ['cacheWrite1h', 2000, 4], ['output', 1500, 10]],
    nano: 31_000_000,
  },
  {
    provider: 'anthropic', model: 'claude-sonnet-5', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'sonnet 5, streamed',
    usage: { input_tokens: 3000, cache_creation_input_tokens: 2000, cache_read_input_tokens: 10000, output_tokens: 1500, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 2000 } },
    lines: [['input', 3000, 2], ['cachedInput', 10000, 0.2], ['cacheWrite1h', 2000, 4], ['output', 1500, 10]],
    nano: 31_000_000,
  },
  {
    provider: 'anthropic', model: 'claude-sonnet-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'one token each way',
    usage: { input_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    lines: [['input', 1, 2], ['output', 1, 10]],
    nano: 12_000,
  },
  {
    provider: 'anthropic', model: 'claude-opus-4-6', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'opus 4.6: both writes, long prompt (no long-context tier from 4.6 on)',
    usage: { input_tokens: 50000, cache_creation_input_tokens: 150000, cache_read_input_tokens: 0, output_tokens: 8000, cache_creation: { ephemeral_5m_input_tokens: 100000, ephemeral_1h_input_tokens: 50000 } },
    lines: [['input', 50000, 5], ['cacheWrite', 100000, 6.25], ['cacheWrite1h', 50000, 10], ['output', 8000, 25]],
    nano: 1_575_000_000,
  },
  {
    provider: 'anthropic', model: 'claude-opus-4-6', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'opus 4.6, streamed',
    usage: { input_tokens: 50000, cache_creation_input_tokens: 150000, cache_read_input_tokens: 0, output_tokens: 8000, cache_creation: { ephemeral_5m_input_tokens: 100000, ephemeral_1h_input_tokens: 50000 } },
    lines: [['input', 50000, 5], ['cacheWrite', 100000, 6.25], ['cacheWrite1h', 50000, 10], ['output', 8000, 25]],
    nano: 1_575_000_000,
  },
  {
    provider: 'anthropic', model: 'claude-opus-4-6', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'opus 4.6 near its 1M window, standard rate',
    usage: { input_tokens: 900000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 64000, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    lines: [['input', 900000, 5], ['output', 64000, 25]],
    nano: 6_100_000_000,
  },
  {
    provider: 'anthropic', model: 'claude-fable-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'fable 5: small counts of every class',
    usage: { input_tokens: 10, cache_creation_input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 10, cache_creation: { ephemeral_5m_input_tokens: 5, ephemeral_1h_input_tokens: 5 } },
    lines: [['input', 10, 10], ['cachedInput', 5, 1], ['cacheWrite', 5, 12.5], ['cacheWrite1h', 5, 20], ['output', 10, 50]],
    nano: 767_500,
  },
  {
    provider: 'anthropic', model: 'claude-fable-5', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'fable 5: 1-hour write, streamed',
    usage: { input_tokens: 2000, cache_creation_input_tokens: 8000, cache_read_input_tokens: 0, output_tokens: 500, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 8000 } },
    lines: [['input', 2000, 10], ['cacheWrite1h', 8000, 20], ['output', 500, 50]],
    nano: 205_000_000,
  },
  {
    provider: 'anthropic', model: 'claude-opus-4-1', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'opus 4.1 (retired): every class',
    usage: { input_tokens: 3000, cache_creation_input_tokens: 1000, cache_read_input_tokens: 1000, output_tokens: 2000, cache_creation: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 500 } },
    lines: [['input', 3000, 15], ['cachedInput', 1000, 1.5], ['cacheWrite', 500, 18.75], ['cacheWrite1h', 500, 30], ['output', 2000, 75]],
    nano: 220_875_000,
  },
  {
    provider: 'anthropic', model: 'claude-opus-4-1', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'opus 4.1, streamed',
    usage: { input_tokens: 3000, cache_creation_input_tokens: 1000, cache_read_input_tokens: 1000, output_tokens: 2000, cache_creation: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 500 } },
    lines: [['input', 3000, 15], ['cachedInput', 1000, 1.5], ['cacheWrite', 500, 18.75], ['cacheWrite1h', 500, 30], ['output', 2000, 75]],
    nano: 220_875_000,
  },
  {
    provider: 'anthropic', model: 'claude-3-5-haiku-latest', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'haiku 3.5: small counts of read, write and output',
    usage: { input_tokens: 7, cache_creation_input_tokens: 3, cache_read_input_tokens: 3, output_tokens: 3, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 3 } },
    lines: [['input', 7, 0.8], ['cachedInput', 3, 0.08], ['cacheWrite1h', 3, 1.6], ['output', 3, 4]],
    nano: 22_640,
  },
  {
    provider: 'anthropic', model: 'claude-3-5-haiku-latest', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'haiku 3.5: 1-hour write at $1.60, streamed',
    usage: { input_tokens: 1000, cache_creation_input_tokens: 1000, cache_read_input_tokens: 0, output_tokens: 1000, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1000 } },
    lines: [['input', 1000, 0.8], ['cacheWrite1h', 1000, 1.6], ['output', 1000, 4]],
    nano: 6_400_000,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'no tokens at all',
    usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    lines: [],
    nano: 0,
  },
  {
    provider: 'anthropic', model: 'claude-haiku-4-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'output only matters',
    usage: { input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 4096, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    lines: [['input', 100, 1], ['output', 4096, 5]],
    nano: 20_580_000,
  },
  {
    provider: 'anthropic', model: 'claude-sonnet-5', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'sonnet 5: odd counts of every class',
    usage: { input_tokens: 12345, cache_creation_input_tokens: 11346, cache_read_input_tokens: 23456, output_tokens: 6789, cache_creation: { ephemeral_5m_input_tokens: 3456, ephemeral_1h_input_tokens: 7890 } },
    lines: [['input', 12345, 2], ['cachedInput', 23456, 0.2], ['cacheWrite', 3456, 2.5], ['cacheWrite1h', 7890, 4], ['output', 6789, 10]],
    nano: 137_471_200,
  },
  {
    provider: 'anthropic', model: 'claude-sonnet-5', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'sonnet 5: odd counts, streamed',
    usage: { input_tokens: 12345, cache_creation_input_tokens: 11346, cache_read_input_tokens: 23456, output_tokens: 6789, cache_creation: { ephemeral_5m_input_tokens: 3456, ephemeral_1h_input_tokens: 7890 } },
    lines: [['input', 12345, 2], ['cachedInput', 23456, 0.2], ['cacheWrite', 3456, 2.5], ['cacheWrite1h', 7890, 4], ['output', 6789, 10]],
    nano: 137_471_200,
  },
  {
    provider: 'anthropic', model: 'claude-opus-4-6', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'all read from the cache',
    usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 200000, output_tokens: 10, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    lines: [['cachedInput', 200000, 0.5], ['output', 10, 25]],
    nano: 100_250_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'plain prompt and completion',
    usage: { promptTokenCount: 1000, candidatesTokenCount: 200, totalTokenCount: 1200 },
    lines: [['input', 1000, 0.3], ['output', 200, 2.5]],
    nano: 800_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'the same, streamed',
    usage: { promptTokenCount: 1000, candidatesTokenCount: 200, totalTokenCount: 1200 },
    lines: [['input', 1000, 0.3], ['output', 200, 2.5]],
    nano: 800_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'thinking tokens billed as output',
    usage: { promptTokenCount: 1000, candidatesTokenCount: 200, totalTokenCount: 1900, thoughtsTokenCount: 700 },
    lines: [['input', 1000, 0.3], ['output', 900, 2.5]],
    nano: 2_550_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'thinking tokens, streamed',
    usage: { promptTokenCount: 1000, candidatesTokenCount: 200, totalTokenCount: 1900, thoughtsTokenCount: 700 },
    lines: [['input', 1000, 0.3], ['output', 900, 2.5]],
    nano: 2_550_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'context cache read at $0.03',
    usage: { promptTokenCount: 5000, candidatesTokenCount: 100, totalTokenCount: 5100, cachedContentTokenCount: 4096 },
    lines: [['input', 904, 0.3], ['cachedInput', 4096, 0.03], ['output', 100, 2.5]],
    nano: 644_080,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'tool-use prompt tokens billed as input',
    usage: { promptTokenCount: 300, candidatesTokenCount: 50, totalTokenCount: 470, toolUsePromptTokenCount: 120 },
    lines: [['input', 420, 0.3], ['output', 50, 2.5]],
    nano: 251_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash-lite', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'three prompt tokens, one completion token',
    usage: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 },
    lines: [['input', 3, 0.1], ['output', 1, 0.4]],
    nano: 700,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash-lite', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'flash-lite: every class, streamed',
    usage: { promptTokenCount: 123456, candidatesTokenCount: 7890, totalTokenCount: 132346, cachedContentTokenCount: 100000, thoughtsTokenCount: 1000 },
    lines: [['input', 23456, 0.1], ['cachedInput', 100000, 0.01], ['output', 8890, 0.4]],
    nano: 6_901_600,
  },
  {
    provider: 'google', model: 'gemini-2.5-pro', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'at the 200K threshold: base prices',
    usage: { promptTokenCount: 200000, candidatesTokenCount: 1000, totalTokenCount: 201000 },
    lines: [['input', 200000, 1.25], ['output', 1000, 10]],
    nano: 260_000_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-pro', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'one token above 200K: long-context prices',
    usage: { promptTokenCount: 200001, candidatesTokenCount: 1000, totalTokenCount: 201001 },
    lines: [['input', 200001, 2.5], ['output', 1000, 15]],
    nano: 515_002_500,
  },
  {
    provider: 'google', model: 'gemini-2.5-pro', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'above 200K with cache and thinking',
    usage: { promptTokenCount: 250000, candidatesTokenCount: 1000, totalTokenCount: 253000, cachedContentTokenCount: 50000, thoughtsTokenCount: 2000 },
    lines: [['input', 200000, 2.5], ['cachedInput', 50000, 0.25], ['output', 3000, 15]],
    nano: 557_500_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-pro', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'above 200K, streamed',
    usage: { promptTokenCount: 250000, candidatesTokenCount: 1000, totalTokenCount: 253000, cachedContentTokenCount: 50000, thoughtsTokenCount: 2000 },
    lines: [['input', 200000, 2.5], ['cachedInput', 50000, 0.25], ['output', 3000, 15]],
    nano: 557_500_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-pro', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'below 200K with cache and thinking',
    usage: { promptTokenCount: 150000, candidatesTokenCount: 1000, totalTokenCount: 153000, cachedContentTokenCount: 50000, thoughtsTokenCount: 2000 },
    lines: [['input', 100000, 1.25], ['cachedInput', 50000, 0.125], ['output', 3000, 10]],
    nano: 161_250_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-pro', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'tool-use tokens take the prompt above 200K',
    usage: { promptTokenCount: 199990, candidatesTokenCount: 10, totalTokenCount: 200020, toolUsePromptTokenCount: 20 },
    lines: [['input', 200010, 2.5], ['output', 10, 15]],
    nano: 500_175_000,
  },
  {
    provider: 'google', model: 'gemini-3.6-flash', at: '2026-12-31T23:59:59.999Z', stream: false, note: 'last moment of 2026: $0.75',
    usage: { promptTokenCount: 10000, candidatesTokenCount: 2000, totalTokenCount: 12000 },
    lines: [['input', 10000, 0.75], ['output', 2000, 3.75]],
    nano: 15_000_000,
  },
  {
    provider: 'google', model: 'gemini-3.6-flash', at: '2027-01-01T00:00:00.000Z', stream: false, note: 'first moment of 2027: $1.50',
    usage: { promptTokenCount: 10000, candidatesTokenCount: 2000, totalTokenCount: 12000 },
    lines: [['input', 10000, 1.5], ['output', 2000, 7.5]],
    nano: 30_000_000,
  },
  {
    provider: 'google', model: 'gemini-3.6-flash', at: '2026-12-31T12:00:00.000Z', stream: true, note: '2026 price, cache and thinking, streamed',
    usage: { promptTokenCount: 10000, candidatesTokenCount: 2000, totalTokenCount: 12500, cachedContentTokenCount: 8000, thoughtsTokenCount: 500 },
    lines: [['input', 2000, 0.75], ['cachedInput', 8000, 0.075], ['output', 2500, 3.75]],
    nano: 11_475_000,
  },
  {
    provider: 'google', model: 'gemini-3.6-flash', at: '2027-01-01T12:00:00.000Z', stream: true, note: '2027 price, cache and thinking, streamed',
    usage: { promptTokenCount: 10000, candidatesTokenCount: 2000, totalTokenCount: 12500, cachedContentTokenCount: 8000, thoughtsTokenCount: 500 },
    lines: [['input', 2000, 1.5], ['cachedInput', 8000, 0.15], ['output', 2500, 7.5]],
    nano: 22_950_000,
  },
  {
    provider: 'google', model: 'gemini-3.7-flash', at: '2026-11-26T12:00:00.000Z', stream: false, note: '3.7 flash before the switch',
    usage: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    lines: [['input', 1, 0.75], ['output', 1, 3.75]],
    nano: 4_500,
  },
  {
    provider: 'google', model: 'gemini-3.7-flash', at: '2030-06-01T00:00:00.000Z', stream: false, note: '3.7 flash long after the switch',
    usage: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    lines: [['input', 1, 1.5], ['output', 1, 7.5]],
    nano: 9_000,
  },
  {
    provider: 'google', model: 'gemini-3.7-flash', at: '2027-03-01T00:00:00.000Z', stream: false, note: 'large cached prompt in 2027',
    usage: { promptTokenCount: 777777, candidatesTokenCount: 3333, totalTokenCount: 781110, cachedContentTokenCount: 700000 },
    lines: [['input', 77777, 1.5], ['cachedInput', 700000, 0.15], ['output', 3333, 7.5]],
    nano: 246_663_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'no tokens at all',
    usage: { promptTokenCount: 0, candidatesTokenCount: 0, totalTokenCount: 0 },
    lines: [],
    nano: 0,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'long thinking',
    usage: { promptTokenCount: 4096, candidatesTokenCount: 8192, totalTokenCount: 20480, thoughtsTokenCount: 8192 },
    lines: [['input', 4096, 0.3], ['output', 16384, 2.5]],
    nano: 42_188_800,
  },
  {
    provider: 'google', model: 'gemini-2.5-flash-lite', at: '2026-11-26T12:00:00.000Z', stream: false, note: 'a million each way',
    usage: { promptTokenCount: 1000000, candidatesTokenCount: 1000000, totalTokenCount: 2000000 },
    lines: [['input', 1000000, 0.1], ['output', 1000000, 0.4]],
    nano: 500_000_000,
  },
  {
    provider: 'google', model: 'gemini-2.5-pro', at: '2026-11-26T12:00:00.000Z', stream: true, note: 'one of each, streamed',
    usage: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 3, thoughtsTokenCount: 1 },
    lines: [['input', 1, 1.25], ['output', 2, 10]],
    nano: 21_250,
  }

]

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
    const billed = costLines(e.pricing, usage, at)
    const expected = c.lines.map(([cls, tokens, usdPerMillion]) => ({ class: cls, tokens, usdPerMillion }))
    expect(billed, `billed: ${show(billed)}\nby hand: ${show(expected)}`).toEqual(expected)
    expect(costNanoUsd(e.pricing, usage, at), `billed: ${show(billed)}`).toBe(c.nano)
  })
})

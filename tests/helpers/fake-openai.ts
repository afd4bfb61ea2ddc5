// A strict fake of OpenAI's API on a loopback port: it rejects a missing or wrong key, models it
// does not serve and bodies the real API rejects, answers chat completions (JSON or real
// chat.completion.chunk streams) and embeddings with deterministic content and usage, and records
// every request it received. As the real API, it answers `n` choices (usage counts the completion
// tokens of all of them) and stops a reply at max_completion_tokens (or max_tokens) with
// finish_reason "length"; a word is a token. "[cached]" in a message reads up to 1024 prompt tokens
// from the cache; "[cache-write]" writes the rest of the prompt to it (`cache_write_tokens`). The models it serves are OpenAI's in the shipped
// registry (data/models.json), chat and embedding models each on their own endpoint, and a few dated
// snapshots of them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import seed from '../../data/models.json'
import { listenOnLoopback } from './net'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: any
}

export interface Faults {
  /** Answer the next calls with these statuses (one each), before any other handling. */
  statuses: { status: number, retryAfter?: string }[]
  /** Destroy the connection of this many next calls without answering. */
  resets: number
  /** Wait this long before answering each call. */
  delayMs: number
}

export interface FakeOpenAI {
  url: string
  apiKey: string
  requests: RecordedRequest[]
  faults: Faults
  /** Streams whose client went away before the stream ended. */
  abortedStreams: number
  close: () => Promise<void>
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function'])

const served = (mode: string) => new Set(seed.models.filter(m => m.provider === 'openai' && m.mode === mode).map(m => m.id))
/** Dated snapshots the real API serves beside their family (an invented date is a 404 there too). */
const SNAPSHOTS = ['gpt-4.1-2025-04-14', 'gpt-5-mini-2025-08-07', 'gpt-4o-2024-08-06']
const CHAT_MODELS = new Set([...served('chat'), ...SNAPSHOTS])
const EMBEDDING_MODELS = served('embedding')
/** Reasoning models take only max_completion_tokens. */
const REASONING = /^(o\d|gpt-5)/

function words(text: string) {
  return text.split(/\s+/).filter(Boolean).length
}

function messageText(m: any): string {
  if (typeof m.content === 'string') return m.content
  if (Array.isArray(m.content)) return m.content.map((p: any) => p.text ?? '').join(' ')
  return ''
}

function error(res: ServerResponse, status: number, message: string, type: string, code: string | null = null, param: string | null = null) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error: { message, type, param, code } }))
}

/** The reply is the last user message reversed word by word: easy to predict in tests. */
export function fakeReply(messages: any[]): string {
  const last = [...messages].reverse().find(m => m.role === 'user')
  return `echo: ${messageText(last ?? {}).split(/\s+/).filter(Boolean).reverse().join(' ')}`
}

export function fakeUsage(messages: any[], reply: string, choices = 1) {
  const prompt = messages.reduce((n, m) => n + 4 + words(messageText(m)), 3)
  const cached = messages.some(m => messageText(m).includes('[cached]')) ? Math.min(prompt, 1024) : 0
  const completion = words(reply) * choices
  const written = messages.some(m => messageText(m).includes('[cache-write]'))
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0, ...written ? { cache_write_tokens: prompt - cached } : {} },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  }
}

const modelNotFound = (res: ServerResponse, model: string) =>
  error(res, 404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found')

function chat(res: ServerResponse, body: any) {
  if (typeof body.model !== 'string') return error(res, 400, 'you must provide a model parameter', 'invalid_request_error', null, 'model')
  if (EMBEDDING_MODELS.has(body.model)) {
    return error(res, 404, 'This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?', 'invalid_request_error', null, 'model')
  }
  if (!CHAT_MODELS.has(body.model)) return modelNotFound(res, body.model)
  if (body.max_tokens != null && REASONING.test(body.model)) {
    return error(res, 400, 'Unsupported parameter: \'max_tokens\' is not supported with this model. Use \'max_completion_tokens\' instead.', 'invalid_request_error', 'unsupported_parameter', 'max_tokens')
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return error(res, 400, 'Missing required parameter: \'messages\'.', 'invalid_request_error', 'missing_required_parameter', 'messages')
  }
  for (const [i, m] of body.messages.entries()) {
    if (!ROLES.has(m.role)) return error(res, 400, `Invalid value: '${m.role}'.`, 'invalid_request_error', 'invalid_value', `messages[${i}].role`)
  }
  if (body.stream_options && body.stream !== true) {
    return error(res, 400, 'The \'stream_options\' parameter is only allowed when \'stream\' is enabled.', 'invalid_request_error', null, 'stream_options')
  }
  const n = body.n ?? 1
  if (!Number.isInteger(n) || n < 1 || n > 128) return error(res, 400, `Invalid 'n': expected an integer from 1 to 128, but got ${n} instead.`, 'invalid_request_error', 'invalid_value', 'n')
  let reply = fakeReply(body.messages)
  let finish = 'stop'
  const cap = body.max_completion_tokens ?? body.max_tokens
  if (typeof cap === 'number' && words(reply) > cap) [reply, finish] = [reply.split(/\s+/).slice(0, cap).join(' '), 'length']
  const usage = fakeUsage(body.messages, reply, n)
  const id = `chatcmpl-fake${Date.now()}`
  const created = Math.floor(Date.now() / 1000)
  // A snapshot answers as itself, a family as its current snapshot.
  const model = SNAPSHOTS.includes(body.model) ? body.model : `${body.model}-2024-07-18`
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({
      id, object: 'chat.completion', created, model, system_fingerprint: 'fp_fake',
      choices: Array.from({ length: n }, (_, index) => ({ index, message: { role: 'assistant', content: reply, refusal: null, annotations: [] }, logprobs: null, finish_reason: finish })),
      usage, service_tier: 'default',
    }))
    return
  }
  const includeUsage = body.stream_options?.include_usage === true
  const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', service_tier: 'default' }
  const chunks: any[] = []
  for (let index = 0; index < n; index++) {
    chunks.push({ ...base, choices: [{ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }] })
    for (const piece of reply.match(/\S+\s*/g) ?? []) chunks.push({ ...base, choices: [{ index, delta: { content: piece }, logprobs: null, finish_reason: null }] })
    chunks.push({ ...base, choices: [{ index, delta: {}, logprobs: null, finish_reason: finish }] })
  }
  if (includeUsage) {
    for (const c of chunks) c.usage = null
    chunks.push({ ...base, choices: [], usage })
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  // "[slow:N]" in a message spaces the chunks N ms apart (a long-running stream).
  const delay = Number(/\[slow:(\d+)\]/.exec(JSON.stringify(body.messages))?.[1] ?? 0)
  if (!delay) {
    for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`)
    res.end('data: [DONE]\n\n')
    return
  }
  let i = 0
  const timer = setInterval(() => {
    if (i < chunks.length) return void res.write(`data: ${JSON.stringify(chunks[i++])}\n\n`)
    clearInterval(timer)
    res.end('data: [DONE]\n\n')
  }, delay)
  res.on('close', () => clearInterval(timer))
}

/** Deterministic vector for a text: the same input always embeds the same way. */
export function fakeVector(text: string, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => Math.fround(((text.charCodeAt(i % Math.max(1, text.length)) || 7) * (i + 1)) % 97 / 97))
}

function embeddings(res: ServerResponse, body: any) {
  if (typeof body.model !== 'string') return error(res, 400, 'you must provide a model parameter', 'invalid_request_error', null, 'model')
  if (!EMBEDDING_MODELS.has(body.model)) return modelNotFound(res, body.model)
  if (body.input === undefined) return error(res, 400, 'Missing required parameter: \'input\'.', 'invalid_request_error', 'missing_required_parameter', 'input')
  if (body.encoding_format !== undefined && !['float', 'base64'].includes(body.encoding_format)) {
    return error(res, 400, 'Invalid value for encoding_format', 'invalid_request_error', 'invalid_value', 'encoding_format')
  }
  if (body.dimensions !== undefined && body.model === 'text-embedding-ada-002') {
    return error(res, 400, 'This model does not support specifying dimensions.', 'invalid_request_error', null, 'dimensions')
  }
  const inputs: string[] = typeof body.input === 'string' ? [body.input] : body.input.map((x: unknown) => String(x))
  const dims = body.dimensions ?? 8
  const data = inputs.map((text, index) => {
    const v = fakeVector(text, dims)
    const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v
    return { object: 'embedding', index, embedding }
  })
  const tokens = inputs.reduce((n, t) => n + words(t), 0)
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }))
}

export async function startFakeOpenAI(apiKey = 'sk-fake-openai-provider-key-0123456789'): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = []
  const faults: Faults = { statuses: [], resets: 0, delayMs: 0 }
  const fake = { abortedStreams: 0 }
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    let body: any
    let parsed = true
    try {
      body = raw ? JSON.parse(raw) : undefined
    }
    catch {
      parsed = false
    }
    const path = (req.url ?? '').split('?')[0]!
    requests.push({ method: req.method ?? '', path, headers: req.headers, body })
    if (faults.resets > 0) {
      faults.resets--
      return void req.socket.destroy()
    }
    // The fault is taken on arrival, so a call still waiting out a delay cannot take a later one's.
    const fault = faults.statuses.shift()
    if (faults.delayMs) await new Promise(r => setTimeout(r, faults.delayMs))
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) })
      return void res.end(JSON.stringify({ error: { message: `Injected failure ${fault.status}`, type: fault.status === 429 ? 'rate_limit_error' : 'server_error', param: null, code: null } }))
    }
    res.on('close', () => { if (!res.writableFinished) fake.abortedStreams++ })
    // As the real API: the key is checked before the body is looked at.
    const authorization = req.headers.authorization
    if (!authorization?.startsWith('Bearer ') || authorization === 'Bearer ') {
      return error(res, 401, 'You didn\'t provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).', 'invalid_request_error')
    }
    if (authorization !== `Bearer ${apiKey}`) {
      const shown = authorization.slice('Bearer '.length)
      return error(res, 401, `Incorrect API key provided: ${shown.slice(0, 6)}****${shown.slice(-4)}.`, 'invalid_request_error', 'invalid_api_key')
    }
    if (!parsed) return error(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error')
    // A body that is no JSON object has no model either.
    const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(res, fields)
    if (req.method === 'POST' && path === '/v1/embeddings') return embeddings(res, fields)
    error(res, 404, `Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error', 'unknown_url')
  })
  const { url, close } = await listenOnLoopback(server)
  return Object.assign(fake, { url: `${url}/v1`, apiKey, requests, faults, close })
}

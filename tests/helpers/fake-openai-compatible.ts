// A strict fake of an OpenAI-compatible server (vLLM, llama.cpp, Ollama, …) on a loopback port, in
// one of three behaviours that real servers show:
// - `strict`: refuses any top-level chat field outside its own list (`stream_options`,
//   `service_tier`, `parallel_tool_calls`, `max_completion_tokens`, …) with a 400 in vLLM's error
//   shape (`{"object":"error","message":…}`) naming the field, as FastAPI's "extra inputs are not
//   permitted" does; its streams carry usage in the last chunk (llama.cpp's way), asked or not.
// - `no-usage`: takes OpenAI's fields but sends no usage in streams (JSON answers have it, unless
//   `answersWithoutUsage`: then none anywhere, as some small servers).
// - `ollama`: Ollama's OpenAI API with its native model list at GET /api/tags; usage in streams
//   only when `stream_options.include_usage` asks.
// Every behaviour lists its models at GET /v1/models, refuses models it does not serve (404) and a
// wrong key (401; with no key configured it takes none, as a local Ollama), and answers a tool call
// in one chunk (id, name and all the arguments at once), as Ollama and llama.cpp do. Replies and
// usage are the OpenAI fake's (echo, a word is a token).
import { createServer, type ServerResponse } from 'node:http'
import { fakeReply, fakeUsage, type RecordedRequest } from './fake-openai'
import { listenOnLoopback, readJsonRequest } from './net'

export type CompatibleBehaviour = 'strict' | 'no-usage' | 'ollama'

export interface FakeCompatible {
  /** Base URL with /v1, as a connection's baseUrl. */
  url: string
  apiKey: string | undefined
  models: string[]
  requests: RecordedRequest[]
  /** Answer the next calls with these statuses (one each). */
  failures: number[]
  close: () => Promise<void>
}

/** The chat fields the strict server knows; anything else is refused. */
const STRICT_FIELDS = new Set(['model', 'messages', 'stream', 'max_tokens', 'temperature', 'top_p', 'stop', 'seed', 'tools', 'tool_choice', 'response_format', 'frequency_penalty', 'presence_penalty', 'user', 'n'])
const ROLES = new Set(['system', 'user', 'assistant', 'tool'])

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

const openaiError = (res: ServerResponse, status: number, message: string, type = 'invalid_request_error') =>
  json(res, status, { error: { message, type, param: null, code: null } })

/** vLLM's (FastAPI's) refusal of an unknown field. */
function extraForbidden(res: ServerResponse, field: string, value: unknown) {
  const detail = [{ type: 'extra_forbidden', loc: ['body', field], msg: 'Extra inputs are not permitted', input: value }]
  json(res, 400, { object: 'error', message: JSON.stringify(detail), type: 'BadRequestError', param: null, code: 400 })
}

const lastUserText = (messages: any[]) => {
  const m = [...messages].reverse().find(x => x.role === 'user')
  return typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content ?? '')
}

function chat(res: ServerResponse, body: any, behaviour: CompatibleBehaviour, models: string[], answersWithoutUsage: boolean) {
  if (behaviour === 'strict') {
    const extra = Object.keys(body).find(k => !STRICT_FIELDS.has(k))
    if (extra) return extraForbidden(res, extra, body[extra])
  }
  if (!models.includes(body.model)) return openaiError(res, 404, `model "${body.model}" not found, try pulling it first`, 'not_found_error')
  if (!Array.isArray(body.messages) || body.messages.length === 0) return openaiError(res, 400, 'messages: field required')
  for (const m of body.messages) if (!ROLES.has(m.role)) return openaiError(res, 400, `invalid role: ${m.role}`)
  const wantsTool = Array.isArray(body.tools) && body.tools.length > 0 && lastUserText(body.messages).includes('weather')
  const reply = wantsTool ? '' : fakeReply(body.messages)
  const toolCall = wantsTool ? { index: 0, id: `call_${Date.now()}`, type: 'function', function: { name: body.tools[0].function.name, arguments: '{"city":"Paris"}' } } : undefined
  const usage = fakeUsage(body.messages, wantsTool ? 'get weather paris' : reply)
  const finish = wantsTool ? 'tool_calls' : 'stop'
  const id = `chatcmpl-compat${Date.now()}`
  const created = Math.floor(Date.now() / 1000)
  if (body.stream !== true) {
    const message = { role: 'assistant', content: wantsTool ? null : reply, ...(toolCall ? { tool_calls: [toolCall] } : {}) }
    return json(res, 200, { id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message, finish_reason: finish }], ...(answersWithoutUsage ? {} : { usage }) })
  }
  const base = { id, object: 'chat.completion.chunk', created, model: body.model }
  const chunks: any[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }]
  if (toolCall) chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [toolCall] }, finish_reason: null }] })
  for (const piece of reply.match(/\S+\s*/g) ?? []) chunks.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })
  const last: any = { ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] }
  if (behaviour === 'strict') last.usage = usage
  chunks.push(last)
  if (behaviour === 'ollama' && body.stream_options?.include_usage === true) chunks.push({ ...base, choices: [], usage })
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`)
  res.end('data: [DONE]\n\n')
}

export async function startFakeCompatible(opts: { behaviour: CompatibleBehaviour, apiKey?: string, models?: string[], answersWithoutUsage?: boolean }): Promise<FakeCompatible> {
  const { behaviour, apiKey } = opts
  const models = opts.models ?? ['llama3.3', 'qwen3:8b']
  const requests: RecordedRequest[] = []
  const failures: number[] = []
  const server = createServer(async (req, res) => {
    const { path, body, parsed } = await readJsonRequest(req)
    requests.push({ method: req.method ?? '', path, headers: req.headers, body })
    if (!parsed) return openaiError(res, 400, 'invalid JSON body')
    const failure = failures.shift()
    if (failure) return openaiError(res, failure, `injected failure ${failure}`, 'server_error')
    if (apiKey !== undefined && req.headers.authorization !== `Bearer ${apiKey}`) return openaiError(res, 401, 'Invalid API key', 'authentication_error')
    if (req.method === 'GET' && path === '/v1/models') {
      return json(res, 200, { object: 'list', data: models.map(id => ({ id, object: 'model', created: 1_733_000_000, owned_by: 'library' })) })
    }
    if (req.method === 'GET' && path === '/api/tags' && behaviour === 'ollama') {
      return json(res, 200, { models: models.map(name => ({ name, model: name, modified_at: '2026-11-01T00:00:00Z', size: 4_000_000_000, digest: 'f'.repeat(64) })) })
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(res, body ?? {}, behaviour, models, opts.answersWithoutUsage === true)
    openaiError(res, 404, `404 page not found: ${req.method} ${path}`, 'not_found_error')
  })
  const { url, close } = await listenOnLoopback(server)
  return { url: `${url}/v1`, apiKey, models, requests, failures, close }
}

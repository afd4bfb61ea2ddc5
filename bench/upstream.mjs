// A deliberately cheap fake OpenAI upstream for the benchmark, run in its own process (bench/run.mjs
// forks it) so it never shares an event loop with the load generator or the server under test.
// Every answer is canned; the only per-request work is reading the body and one regex on it.
//
// Behaviour is chosen per request by a marker anywhere in the body: `[bench:DELAY,CHUNKS,GAP]`
//   DELAY  ms before the answer starts (non-streaming: the whole answer; streaming: the first token)
//   CHUNKS content chunks in a stream (default 3)
//   GAP    ms between stream chunks after the first (0: written back to back)
// A body containing `"stream":true` gets an SSE stream, with the usage chunk when it asks for
// `"include_usage":true` (the gateway always does; bench clients do too, so every target gets the same bytes).
// POST /v1/responses answers in the Responses API's shape (a response object, or its event stream ending
// in response.completed), each with an id of its own, as the gateway stores responses by id.
// IPC: {cmd:'stats'} → {requests, inflight, maxInflight, connections (opened)}; {cmd:'reset'} zeroes them and replies too.
import { createServer } from 'node:http'

const MARKER = /\[bench:(\d+),(\d+),(\d+)\]/

const USAGE = {
  prompt_tokens: 42,
  completion_tokens: 14,
  total_tokens: 56,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
}
const BASE = { id: 'chatcmpl-bench', created: 1_700_000_000, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_bench' }

const JSON_ANSWER = JSON.stringify({
  ...BASE,
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! This is a canned benchmark answer of a typical short length.', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
  usage: USAGE,
  service_tier: 'default',
})
const JSON_LENGTH = String(Buffer.byteLength(JSON_ANSWER))

const sse = obj => `data: ${JSON.stringify(obj)}\n\n`
const chunk = (delta, finish = null) => ({ ...BASE, object: 'chat.completion.chunk', service_tier: 'default', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })
const ROLE = sse(chunk({ role: 'assistant', content: '', refusal: null }))
const CONTENT = sse(chunk({ content: 'Hello there, ' }))
const FINISH = sse(chunk({}, 'stop'))
const USAGE_CHUNK = sse({ ...BASE, object: 'chat.completion.chunk', service_tier: 'default', choices: [], usage: USAGE })
const DONE = 'data: [DONE]\n\n'

// The Responses API's answer, as a template around the response id (the only per-request part).
const RESPONSE_TEXT = 'Hello! This is a canned benchmark answer of a typical short length.'
const RESPONSE_USAGE = { input_tokens: 42, input_tokens_details: { cached_tokens: 0 }, output_tokens: 14, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 56 }
const responseObject = (id, status, text) => ({
  id, object: 'response', created_at: 1_700_000_000, status, background: false, error: null, incomplete_details: null,
  instructions: null, max_output_tokens: 200, model: 'gpt-4o-mini-2024-07-18', parallel_tool_calls: true, previous_response_id: null,
  reasoning: { effort: null, summary: null }, service_tier: 'default', store: true, temperature: 0.2, text: { format: { type: 'text' } },
  tool_choice: 'auto', tools: [], top_p: 1, truncation: 'disabled', metadata: {}, user: null,
  output: text === undefined ? [] : [{ id: `msg_${SEQ}`, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] }],
  usage: status === 'completed' ? RESPONSE_USAGE : null,
})
// Templates are split at the 12-digit number that the response and message ids share.
const SEQ = '000000000000'
const ID = `resp_${SEQ}`
const template = x => (typeof x === 'string' ? x : JSON.stringify(x)).split(SEQ)
const RESPONSE_JSON = template(responseObject(ID, 'completed', RESPONSE_TEXT))
const RESPONSE_DELTA = 'Hello there, '
const event = (type, body) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: 0, ...body })}\n\n`
const MESSAGE = { id: `msg_${SEQ}`, type: 'message', role: 'assistant' }
const PART = { type: 'output_text', annotations: [], logprobs: [] }
const STREAM_HEAD = template(event('response.created', { response: responseObject(ID, 'in_progress') })
  + event('response.in_progress', { response: responseObject(ID, 'in_progress') })
  + event('response.output_item.added', { output_index: 0, item: { ...MESSAGE, status: 'in_progress', content: [] } })
  + event('response.content_part.added', { item_id: MESSAGE.id, output_index: 0, content_index: 0, part: { ...PART, text: '' } }))
const STREAM_DELTA = template(event('response.output_text.delta', { item_id: MESSAGE.id, output_index: 0, content_index: 0, delta: RESPONSE_DELTA, logprobs: [] }))
const streamTail = (chunks) => {
  const text = RESPONSE_DELTA.repeat(chunks)
  return template(event('response.output_text.done', { item_id: MESSAGE.id, output_index: 0, content_index: 0, text, logprobs: [] })
    + event('response.content_part.done', { item_id: MESSAGE.id, output_index: 0, content_index: 0, part: { ...PART, text } })
    + event('response.output_item.done', { output_index: 0, item: { ...MESSAGE, status: 'completed', content: [{ ...PART, text }] } })
    + event('response.completed', { response: responseObject(ID, 'completed', text) }))
}
const STREAM_TAILS = new Map()
let responseSeq = 0

let requests = 0
let inflight = 0
let maxInflight = 0
let connections = 0

function answer(req, res, raw) {
  const m = MARKER.exec(raw)
  const delay = m ? Number(m[1]) : 0
  const chunks = m ? Math.max(1, Number(m[2])) : 3
  const gap = m ? Number(m[3]) : 0
  const stream = raw.includes('"stream":true')
  const usage = raw.includes('"include_usage":true')
  const responses = req.url === '/v1/responses'
  const id = responses ? String(++responseSeq).padStart(12, '0') : ''
  const timers = new Set()
  const later = (ms, fn) => {
    if (!ms) return fn()
    const t = setTimeout(() => { timers.delete(t); fn() }, ms)
    timers.add(t)
  }
  res.once('close', () => {
    inflight--
    for (const t of timers) clearTimeout(t)
  })
  if (!stream) {
    return later(delay, () => {
      const body = responses ? RESPONSE_JSON.join(id) : JSON_ANSWER
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': responses ? String(Buffer.byteLength(body)) : JSON_LENGTH })
      res.end(body)
    })
  }
  const first = responses ? STREAM_HEAD.join(id) + STREAM_DELTA.join(id) : ROLE + CONTENT
  const content = responses ? STREAM_DELTA.join(id) : CONTENT
  later(delay, () => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
    res.write(first)
    let sent = 1
    const tail = () => {
      if (!responses) return res.end(FINISH + (usage ? USAGE_CHUNK : '') + DONE)
      if (!STREAM_TAILS.has(chunks)) STREAM_TAILS.set(chunks, streamTail(chunks))
      res.end(STREAM_TAILS.get(chunks).join(id))
    }
    if (!gap) {
      while (sent++ < chunks) res.write(content)
      return tail()
    }
    const next = () => {
      if (res.destroyed) return
      if (sent++ < chunks) {
        res.write(content)
        later(gap, next)
      }
      else { tail() }
    }
    later(gap, next)
  })
}

const server = createServer((req, res) => {
  requests++
  if (++inflight > maxInflight) maxInflight = inflight
  let raw = ''
  req.setEncoding('utf8')
  req.on('data', (d) => { raw += d })
  req.on('end', () => answer(req, res, raw))
})
server.on('connection', () => { connections++ })
server.keepAliveTimeout = 60_000
server.headersTimeout = 65_000
server.maxRequestsPerSocket = 0

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address()
  if (process.send) process.send({ ready: true, port })
  else console.log(`fake upstream on http://127.0.0.1:${port}`)
})

process.on('message', (msg) => {
  if (msg?.cmd === 'stats') process.send({ stats: { requests, inflight, maxInflight, connections } })
  if (msg?.cmd === 'reset') {
    requests = 0
    connections = 0
    maxInflight = inflight
    process.send({ stats: { requests, inflight, maxInflight, connections } })
  }
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))

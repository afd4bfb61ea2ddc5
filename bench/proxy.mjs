// The floor: a bare Node pass-through proxy (node:http in, undici keep-alive pool out) with no auth,
// parsing, metering or logging. Whatever the gateway costs above this is the gateway's own work.
// TARGET=http://127.0.0.1:PORT; forked by bench/run.mjs, reports its port over IPC.
import { createServer } from 'node:http'
import { pipeline } from 'node:stream'
import { Pool } from 'undici'

const target = process.env.TARGET
if (!target) throw new Error('TARGET is required')
const pool = new Pool(target, { connections: 2048, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 60_000, bodyTimeout: 60_000 })

const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host'])
function strip(headers) {
  const out = {}
  for (const k in headers) if (!HOP.has(k)) out[k] = headers[k]
  return out
}

// The request body is read whole before it is forwarded (as nginx buffers request bodies): sent as a
// stream, undici writes the headers and the body separately and Nagle's algorithm with delayed ACKs
// holds the second write back by tens of ms. Responses are piped through as they arrive.
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

const server = createServer(async (req, res) => {
  const ac = new AbortController()
  res.once('close', () => { if (!res.writableFinished) ac.abort() })
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const body = hasBody ? await readBody(req).catch(() => undefined) : undefined
  pool.request({ path: req.url, method: req.method, headers: strip(req.headers), body, signal: ac.signal })
    .then((up) => {
      res.writeHead(up.statusCode, strip(up.headers))
      // Streams pass through chunk by chunk: flush headers at once, as the gateway does.
      if (String(up.headers['content-type'] ?? '').startsWith('text/event-stream')) res.flushHeaders()
      pipeline(up.body, res, () => {})
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' })
      res.end('{"error":{"message":"proxy: upstream failed","type":"upstream_error","param":null,"code":null}}')
    })
})
server.keepAliveTimeout = 60_000
server.headersTimeout = 65_000

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address()
  if (process.send) process.send({ ready: true, port })
  else console.log(`bare proxy on http://127.0.0.1:${port} → ${target}`)
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))

// One log line per request on stdout: JSON in production, readable in development. Never secrets,
// never message contents. Lines are gathered and written every FLUSH_MS (or sooner when many wait):
// one write call for hundreds of requests instead of one each. The JSON line is assembled directly
// (strings escaped by JSON.stringify), which costs about half of stringifying an object per request.
import { config } from '../core/config'
import { nanoToUsd } from '../core/money'
import type { RequestRecord } from '../store/request-record'

const FLUSH_MS = 100
const FLUSH_AT_BYTES = 64 * 1024
let pending = ''
let timer: NodeJS.Timeout | undefined

/** Writes the lines gathered so far (also called at shutdown). */
export function flushAccessLog(): void {
  if (timer) clearTimeout(timer)
  timer = undefined
  if (!pending) return
  const text = pending
  pending = ''
  process.stdout.write(text)
}

function emit(line: string): void {
  pending += line
  if (pending.length >= FLUSH_AT_BYTES) flushAccessLog()
  else timer ??= setTimeout(flushAccessLog, FLUSH_MS).unref()
}

let lastMs = 0
let lastIso = ''
/** The current time as ISO 8601, formatted once per millisecond however many lines share it. */
function isoNow(): string {
  const now = Date.now()
  if (now !== lastMs) {
    lastMs = now
    lastIso = new Date(now).toISOString()
  }
  return lastIso
}

export interface AccessLogEntry {
  requestId: string
  method: string
  path: string
  status: number
  durationMs: number
  record?: RequestRecord
}

export function writeAccessLog(e: AccessLogEntry): void {
  const { logLevel, logFormat } = config()
  if (logLevel === 'silent' || logLevel === 'error' || logLevel === 'warn') return
  const level = e.status >= 500 ? 'error' : e.status >= 400 ? 'warn' : 'info'
  const r = e.record
  if (logFormat === 'pretty') {
    const usage = r ? ` ${r.provider}/${r.model} ${r.promptTokens}+${r.completionTokens} tok $${nanoToUsd(r.costNanoUsd).toFixed(6)}` : ''
    emit(`${isoNow()} ${level.toUpperCase()} ${e.method} ${e.path} ${e.status} ${e.durationMs}ms${usage} [${e.requestId}]\n`)
    return
  }
  const q = JSON.stringify
  let line = `{"time":"${isoNow()}","level":"${level}","requestId":${q(e.requestId)},"method":${q(e.method)},"path":${q(e.path)},"status":${e.status},"durationMs":${e.durationMs}`
  if (r) {
    line += `,"keyId":${q(r.keyId)}`
    if (r.provider) line += `,"provider":${q(r.provider)}`
    if (r.model) line += `,"model":${q(r.model)}`
    line += `,"promptTokens":${q(r.promptTokens)},"cachedTokens":${q(r.cachedTokens)},"completionTokens":${q(r.completionTokens)},"costUsd":${r.unpriced ? 'null,"unpriced":true' : q(nanoToUsd(r.costNanoUsd))}`
    if (r.errorCode) line += `,"errorCode":${q(r.errorCode)}`
  }
  emit(`${line}}\n`)
}

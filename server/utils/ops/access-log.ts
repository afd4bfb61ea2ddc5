// One log line per request on stdout: JSON in production, readable in development. Never secrets,
// never message contents. Lines are gathered and written once per event-loop turn (or sooner when
// many wait): one write call for many requests instead of one each.
import { config } from '../core/config'
import type { RequestRecord } from '../store/request-log'

const FLUSH_AT_BYTES = 64 * 1024
let pending = ''
let scheduled = false

/** Writes the lines gathered so far (also called at shutdown). */
export function flushAccessLog(): void {
  scheduled = false
  if (!pending) return
  const text = pending
  pending = ''
  process.stdout.write(text)
}

function emit(line: string): void {
  pending += line
  if (pending.length >= FLUSH_AT_BYTES) flushAccessLog()
  else if (!scheduled) {
    scheduled = true
    setImmediate(flushAccessLog)
  }
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
    const usage = r ? ` ${r.provider}/${r.model} ${r.promptTokens}+${r.completionTokens} tok $${r.costUsd.toFixed(6)}` : ''
    emit(`${new Date().toISOString()} ${level.toUpperCase()} ${e.method} ${e.path} ${e.status} ${e.durationMs}ms${usage} [${e.requestId}]\n`)
    return
  }
  emit(`${JSON.stringify({
    time: new Date().toISOString(),
    level,
    requestId: e.requestId,
    method: e.method,
    path: e.path,
    status: e.status,
    durationMs: e.durationMs,
    keyId: r?.keyId,
    provider: r?.provider ?? undefined,
    model: r?.model ?? undefined,
    promptTokens: r?.promptTokens,
    cachedTokens: r?.cachedTokens,
    completionTokens: r?.completionTokens,
    costUsd: r?.costUsd,
    errorCode: r?.errorCode ?? undefined,
  })}\n`)
}

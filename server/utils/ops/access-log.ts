// One log line per request on stdout: JSON in production, readable in development. Never secrets,
// never message contents.
import { config } from '../core/config'
import type { RequestRecord } from '../store/request-log'

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
    process.stdout.write(`${new Date().toISOString()} ${level.toUpperCase()} ${e.method} ${e.path} ${e.status} ${e.durationMs}ms${usage} [${e.requestId}]\n`)
    return
  }
  process.stdout.write(`${JSON.stringify({
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

// Many long-lived streams at once: opens `count` streaming requests together, each on its own
// connection, and samples the server process's VmRSS every 100 ms until they have all ended.
import { performance } from 'node:perf_hooks'
import { Pool } from 'undici'
import { rssMiB } from './proc.mjs'
import { summarize } from './stats.mjs'

export async function slowStreams({ origin, path = '/v1/chat/completions', headers, body, count, pid, timeoutMs = 60_000 }) {
  const pool = new Pool(origin, { connections: count, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: 30_000 })
  const rssBefore = rssMiB(pid)
  let streaming = 0 // first byte seen, not ended
  let maxStreaming = 0
  let open = 0 // sent, not ended
  let ok = 0
  let errors = 0
  let firstError
  const ttft = []
  const samples = []
  const t0 = performance.now()
  const sampler = setInterval(() => {
    try {
      samples.push({ t: performance.now() - t0, rss: rssMiB(pid), open, streaming })
    }
    catch { /* the process is gone */ }
  }, 100)

  const one = async () => {
    open++
    const sent = performance.now()
    let started = false
    try {
      const res = await pool.request({ path, method: 'POST', headers, body })
      let tail = ''
      for await (const chunk of res.body) {
        if (!started) {
          started = true
          ttft.push(performance.now() - sent)
          if (++streaming > maxStreaming) maxStreaming = streaming
        }
        tail = (tail + chunk.toString('latin1')).slice(-64)
      }
      if (res.statusCode !== 200 || !tail.includes('[DONE]')) throw new Error(`HTTP ${res.statusCode}`)
      ok++
    }
    catch (error) {
      errors++
      firstError ??= String(error?.message ?? error)
    }
    finally {
      if (started) streaming--
      open--
    }
  }
  let timer
  await Promise.race([
    Promise.all(Array.from({ length: count }, one)),
    new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs) }),
  ])
  clearTimeout(timer)
  clearInterval(sampler)
  const elapsedMs = performance.now() - t0
  await pool.destroy()
  const peak = samples.reduce((a, s) => (s.rss > a.rss ? s : a), { rss: -Infinity, open: 0, streaming: 0, t: 0 })
  // RSS while all `count` requests were open (before the first one ended).
  const allOpen = samples.filter(s => s.open === count)
  return {
    count,
    ok,
    errors: errors + (count - ok - errors),
    firstError,
    elapsedMs,
    rssBefore,
    rssPeak: Number.isFinite(peak.rss) ? peak.rss : NaN,
    rssPeakAt: peak,
    rssAllOpenMax: allOpen.length ? Math.max(...allOpen.map(s => s.rss)) : NaN,
    maxStreaming,
    ttft: summarize(ttft),
  }
}

// An open-loop load generator: requests leave on a fixed schedule (rate per second) whatever the
// server does, so a slow server meets a growing queue instead of a politely waiting client and its
// queueing shows in the latencies (no coordinated omission). Each request is timed with
// performance.now() from the moment it is handed to the undici pool (a pool wait counts) to its
// first body byte (time to first token for streams) and to the end of its body.
// The schedule's own lateness (the timer firing after the planned instant) is reported as `lag`.
import { performance } from 'node:perf_hooks'
import { Pool } from 'undici'
import { summarize } from './stats.mjs'

// `done` is what a complete stream contains (the chat stream's last line by default; a Responses stream's
// terminal event type), looked for across chunk boundaries.
export async function openLoop({ origin, path = '/v1/chat/completions', headers, body, rate, durationMs, stream = false, done: doneMark = '[DONE]', connections = 256, timeoutMs = 15_000 }) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
  const n = Math.max(1, Math.round(rate * durationMs / 1000))
  const interval = 1000 / rate
  const first = []
  const total = []
  const lag = []
  let errors = 0
  let firstError
  let finished = 0
  let allDone
  const done = new Promise((resolve) => { allDone = resolve })

  async function fire(planned) {
    const sent = performance.now()
    lag.push(sent - planned)
    try {
      const res = await pool.request({ path, method: 'POST', headers, body })
      let firstAt = 0
      let carry = ''
      let complete = false
      for await (const chunk of res.body) {
        if (!firstAt) firstAt = performance.now()
        if (stream && !complete) {
          const text = carry + chunk.toString('latin1')
          complete = text.includes(doneMark)
          carry = text.slice(-doneMark.length)
        }
      }
      const end = performance.now()
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`)
      if (stream && !complete) throw new Error(`stream ended without ${doneMark}`)
      first.push((firstAt || end) - sent)
      total.push(end - sent)
    }
    catch (error) {
      errors++
      firstError ??= String(error?.message ?? error)
    }
    if (++finished === n) allDone()
  }

  const t0 = performance.now() + 5
  let i = 0
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now()
      while (i < n && t0 + i * interval <= now) fire(t0 + i++ * interval)
      if (i >= n) return resolve()
      setTimeout(tick, Math.max(0, t0 + i * interval - performance.now() - 0.2))
    }
    setTimeout(tick, 5)
  })
  const elapsedSend = performance.now() - t0
  let timer
  await Promise.race([done, new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs + 2_000) })])
  clearTimeout(timer)
  await pool.destroy()
  return {
    requests: n,
    ok: total.length,
    errors: errors + (n - finished),
    firstError,
    achievedRate: n > 1 ? (n - 1) / (elapsedSend / 1000) : NaN,
    first: summarize(first),
    total: summarize(total),
    lag: summarize(lag),
  }
}

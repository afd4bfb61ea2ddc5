// Retries of a provider call: the backoff (exponential, jittered, capped), Retry-After as seconds or
// an HTTP date, and which answers are retried, against a loopback server that counts its calls.
import { EventEmitter } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ClientClose } from '../../server/utils/gateway/client-close'
import { newRequestContext } from '../../server/utils/gateway/context'
import { backoffMs, callWithRetries, retryAfterMs } from '../../server/utils/gateway/retry'
import { closeUpstreamPool } from '../../server/utils/gateway/upstream'
import { openai } from '../../server/utils/providers/openai'
import { listenOnLoopback } from '../helpers/net'

// Read by config() on its first call, which comes after these lines.
vi.stubEnv('RETRY_AFTER_MAX_MS', '1000')
vi.stubEnv('UPSTREAM_MAX_RETRIES', '2')

describe('backoffMs', () => {
  it('doubles from 200 ms, drawn from the upper half of each step', () => {
    const [low, high] = [() => 0, () => 1]
    expect([0, 1, 2].map(a => backoffMs(a, undefined, low))).toEqual([100, 200, 400])
    expect([0, 1, 2].map(a => backoffMs(a, undefined, high))).toEqual([200, 400, 800])
    expect(backoffMs(1, undefined, () => 0.5)).toBe(300)
  })

  it('never waits longer than RETRY_AFTER_MAX_MS, backoff or Retry-After', () => {
    expect(backoffMs(3, undefined, () => 0)).toBe(800)
    expect(backoffMs(3, undefined, () => 1)).toBe(1000)
    expect(backoffMs(10, undefined, () => 0)).toBe(1000)
    expect(backoffMs(0, 5000)).toBe(1000)
  })

  it('waits what the provider asked for, even zero, instead of the backoff', () => {
    const random = vi.fn(() => 1)
    expect(backoffMs(2, 250, random)).toBe(250)
    expect(backoffMs(2, 0, random)).toBe(0)
    expect(random).not.toHaveBeenCalled()
  })
})

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0)

  it('reads seconds, fractions included', () => {
    expect(retryAfterMs('3', now)).toBe(3000)
    expect(retryAfterMs('0.5', now)).toBe(500)
    expect(retryAfterMs('0', now)).toBe(0)
    expect(retryAfterMs(['2', '9'], now)).toBe(2000)
  })

  it('reads an HTTP date as the time left until it, never below zero', () => {
    expect(retryAfterMs('Thu, 26 Nov 2026 12:00:07 GMT', now)).toBe(7000)
    expect(retryAfterMs('Thu, 26 Nov 2026 11:59:00 GMT', now)).toBe(0)
    expect(retryAfterMs('-5', now)).toBe(0)
  })

  it('ignores a missing or unreadable header', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined()
    expect(retryAfterMs('', now)).toBeUndefined()
    expect(retryAfterMs('soon', now)).toBeUndefined()
  })
})

describe('callWithRetries', () => {
  const failureBody = (status: number) => JSON.stringify({ error: { message: `failed with ${status}`, type: 'server_error', param: null, code: null } })
  /** What the client is told of the provider's failure (each status has its own mapping). */
  const reported = (status: number) => {
    const f = openai.error(status, failureBody(status))
    return { status: f.status, code: f.code, message: f.message }
  }
  /** Statuses the server answers with, one a call; 200 when none is left. */
  let script: number[] = []
  let calls = 0
  let url = ''
  let close: () => Promise<void>

  beforeAll(async () => {
    const server = createServer((req, res) => {
      calls++
      req.resume()
      const status = script.shift() ?? 200
      // Retry-After 0 keeps the test free of waits; the backoff it replaces is tested above.
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' })
      res.end(status === 200 ? '{"ok":true}' : failureBody(status))
    })
    ;({ url, close } = await listenOnLoopback(server))
  })
  afterAll(async () => {
    await closeUpstreamPool()
    await close()
  })

  const client = () => new ClientClose(new EventEmitter() as unknown as ServerResponse)
  async function run(statuses: number[]) {
    script = [...statuses]
    calls = 0
    const outcome = await callWithRetries(openai, { url: `${url}/v1/chat/completions`, headers: { 'content-type': 'application/json' }, body: '{}' }, client(), { ctx: newRequestContext('chat', 'test'), connection: 'openai', model: 'gpt-4o-mini' })
      .then(async res => ({ status: res.statusCode, body: await res.text() }), (error: unknown) => error)
    return { calls, outcome }
  }

  it.each([429, 500, 502, 503, 504, 529])('retries %i until an answer comes', async (status) => {
    expect(await run([status, status])).toEqual({ calls: 3, outcome: { status: 200, body: '{"ok":true}' } })
  })

  it('gives up after UPSTREAM_MAX_RETRIES retries with the last failure', async () => {
    const { calls, outcome } = await run([503, 502, 529, 200])
    expect(calls).toBe(3)
    expect(outcome).toMatchObject(reported(529))
  })

  it.each([400, 401, 403, 404, 409, 422, 501])('does not retry %i', async (status) => {
    const { calls, outcome } = await run([status, 200])
    expect(calls).toBe(1)
    expect(outcome).toMatchObject(reported(status))
  })
})

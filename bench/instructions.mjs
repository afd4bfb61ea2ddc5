#!/usr/bin/env node
// `npm run bench:instructions`: the gateway's CPU work per request as a count of executed machine
// instructions, against the bare proxy's, in one run. Wall-clock CPU time on a shared machine moves
// with what else runs on it; an instruction count (valgrind's callgrind) does not, so this is the
// figure to compare between commits.
//
//   npm run bench:instructions                           this tree's build (rebuilt when the sources are newer)
//   npm run bench:instructions -- --entry=A/.output/server/index.mjs --entry=B/.output/server/index.mjs
//                                                        other builds (e.g. older commits'), side by side
//   options: --requests=N (measured per round, default 1000) --warmup=N (default 3000) --rounds=R (default 2)
//            --concurrency=C (default 8) --no-build
//            --keep=DIR  keep each round's callgrind dump there, to read with callgrind_annotate
//
// Each target runs under `valgrind --tool=callgrind` with instrumentation off while it starts and
// warms up (the JIT reaches its steady state at near-native speed), then on; each round sends N
// requests and dumps the counters (callgrind_control), so a round's count is N requests' worth of
// instructions in every thread of the process (JS, GC, the SQLite writer, libuv's pool). The fake
// upstream and the client run outside valgrind. Timers do a little work whatever the load (the
// access-log and request-log flushes): the idle count over a measured pause is reported beside it.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Pool } from 'undici'
import { buildIfStale, root } from '../scripts/build-if-stale.mjs'
import { freePort } from '../scripts/free-port.mjs'
import { cleanUpOnSignal, forkChild, spawnServer, stopAll, stopChild } from './lib/procs.mjs'
import { fmt, int, mdTable } from './lib/stats.mjs'
import { chatBody, createBenchKey, gatewayEnv, UPSTREAM_KEY } from './lib/workload.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const argv = process.argv.slice(2)
const option = (name, fallback) => {
  const a = argv.find(x => x.startsWith(`--${name}=`))
  return a ? a.slice(name.length + 3) : fallback
}
const REQUESTS = Number(option('requests', 1000))
const WARMUP = Number(option('warmup', 3000))
const ROUNDS = Number(option('rounds', 2))
const CONCURRENCY = Number(option('concurrency', 8))
const KEEP = option('keep') && resolve(option('keep'))
const IDLE_MS = 2000
const READY_MS = 600_000 // start-up under valgrind is slow, and slower still on a busy machine

const log = (...a) => console.log(...a)

// Under valgrind on a busy machine a request can wait seconds for the gateway to read it; the request
// timeouts (HEADERS_TIMEOUT_MS and the others, see README) are raised so that none of them answers 408.
const SLOW_TIMEOUTS = { HEADERS_TIMEOUT_MS: '600000', REQUEST_TIMEOUT_MS: '0', REQUEST_BODY_TIMEOUT_MS: '600000', UPSTREAM_TIMEOUT_MS: '600000', UPSTREAM_IDLE_TIMEOUT_MS: '600000' }

// A keep-alive connection the target closes just as a request goes out on it fails before any
// answer (the target did no work for it); such a request is sent again, and the retries are reported.
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])

/** Sends `count` copies of the request with CONCURRENCY in flight; every answer must be a chat completion. Resolves with the retries. */
async function send(pool, headers, body, count) {
  let next = 0
  let retries = 0
  const once = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers, body })
        const text = await res.body.text()
        if (res.statusCode !== 200 || !text.includes('"chat.completion"')) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`)
        return
      }
      catch (error) {
        if (!RESET.has(error.code) || attempt >= 3) throw error
        retries++
      }
    }
  }
  const worker = async () => {
    while (next < count) {
      next++
      await once()
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker))
  return retries
}

// vgdb, which callgrind_control talks through, names its pipes after $USER and $HOST: it must see the
// target's environment (the gateway's HOST is its listening address).
function callgrindControl({ pid, env }, ...args) {
  execFileSync('callgrind_control', [...args, String(pid)], { env, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Dumps the counters (they restart at zero) and returns the instructions counted since the last dump. */
async function dump(target, outDir, keepAs) {
  callgrindControl(target, '--dump')
  // callgrind writes the dump after the command returns (into the file it created at start for the
  // first one, numbered files after that); a dump is complete once its totals line is there. Each
  // is deleted once read, so the one found is the new one.
  for (let waited = 0; waited < 60_000; waited += 100) {
    for (const file of readdirSync(outDir)) {
      const m = /^totals:\s+(\d+)/m.exec(readFileSync(join(outDir, file), 'utf8'))
      if (m) {
        if (keepAs && KEEP) copyFileSync(join(outDir, file), join(KEEP, `${keepAs}.callgrind`))
        rmSync(join(outDir, file))
        return Number(m[1])
      }
    }
    await new Promise(r => setTimeout(r, 100))
  }
  throw new Error(`callgrind wrote no complete dump in ${outDir}`)
}

const callgrind = outDir => ['valgrind', '--tool=callgrind', '--trace-children=no', '--instr-atstart=no', `--callgrind-out-file=${join(outDir, 'callgrind.out')}`]

/** Starts a target under callgrind, warms it up, counts ROUNDS × REQUESTS requests and an idle pause, stops it. */
async function measure({ name, label, start }) {
  const outDir = mkdtempSync(join(os.tmpdir(), `instr-${name}-`))
  try {
    const target = await start(callgrind(outDir))
    const pool = new Pool(target.url, { connections: CONCURRENCY, pipelining: 1 })
    const h = { 'content-type': 'application/json', ...target.headers }
    const body = chatBody({ stream: false })
    try {
      const w0 = performance.now()
      let retries = await send(pool, h, body, WARMUP)
      log(`  ${label}: warmed up (${int(WARMUP)} requests, not counted, ${fmt((performance.now() - w0) / 1000, 0)} s)`)
      callgrindControl(target, '--instr=on')
      await dump(target, outDir) // drops what instrumentation saw between switching on and now
      const rounds = []
      for (let r = 0; r < ROUNDS; r++) {
        const t0 = performance.now()
        retries += await send(pool, h, body, REQUESTS)
        const ir = await dump(target, outDir, `${label.replace(/\W+/g, '-')}-round-${r + 1}`)
        rounds.push({ perRequest: ir / REQUESTS, wallMs: performance.now() - t0 })
        log(`  ${label}: round ${r + 1}: ${int(ir / REQUESTS)} instructions / request (${fmt((performance.now() - t0) / 1000, 1)} s)`)
      }
      await new Promise(r => setTimeout(r, IDLE_MS))
      const idlePerS = await dump(target, outDir) / (IDLE_MS / 1000)
      return { rounds, idlePerS, retries }
    }
    catch (error) {
      const tail = readFileSync(target.logFile, 'utf8').split('\n').filter(l => !l.startsWith('{"time"')).slice(-15).join('\n')
      throw new Error(`${label}: ${error.message}\n${label}'s log (without access-log lines), last lines:\n${tail}`, { cause: error })
    }
    finally {
      await pool.close()
      await stopChild(target.child, 30_000)
    }
  }
  finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}

async function main() {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' })
  }
  catch {
    throw new Error('valgrind is not installed (apt-get install valgrind)')
  }
  const given = argv.filter(a => a.startsWith('--entry=')).map(a => resolve(a.slice(8)))
  if (!given.length && !argv.includes('--no-build')) buildIfStale({ quiet: false })
  const entries = given.length ? given : [join(root, '.output/server/index.mjs')]
  for (const e of entries) if (!existsSync(e)) throw new Error(`${e} does not exist (build first)`)
  if (KEEP) mkdirSync(KEEP, { recursive: true })
  const tmp = mkdtempSync(join(os.tmpdir(), 'gw-instr-'))
  const started = Date.now()
  cleanUpOnSignal(tmp)
  try {
    const upstream = await forkChild('upstream.mjs', {}, 'upstream')
    const adminKey = 'sk-admin-bench-instructions-0123456789abcdef'
    const proxy = {
      name: 'proxy',
      label: 'bare Node proxy',
      start: async (wrapper) => {
        const port = await freePort()
        const env = { ...process.env, TARGET: upstream.url, PORT: String(port) }
        const logFile = join(tmp, 'proxy.log')
        const p = await spawnServer({ name: 'proxy', entry: join(here, 'proxy.mjs'), wrapper, env, port, readyPath: '/', logFile, readyTimeoutMs: READY_MS })
        return { ...p, env, logFile, headers: { authorization: `Bearer ${UPSTREAM_KEY}` } }
      },
    }
    const gateways = entries.map((entry, i) => ({
      name: `gateway-${i + 1}`,
      label: `gateway ${sourceOf(entry)}`,
      start: async (wrapper) => {
        const env = { ...gatewayEnv({ port: await freePort(), dataDir: join(tmp, `data-${i + 1}`), upstreamUrl: upstream.url, adminKey }), ...SLOW_TIMEOUTS }
        const logFile = join(tmp, `gateway-${i + 1}.log`)
        const gw = await spawnServer({ name: 'gateway', entry, wrapper, env, port: Number(env.PORT), readyPath: '/health', logFile, cwd: dirname(dirname(entry)), readyTimeoutMs: READY_MS })
        const key = await createBenchKey(gw.url, adminKey)
        return { ...gw, env, logFile, headers: { authorization: `Bearer ${key.key}` } }
      },
    }))
    const targets = [proxy, ...gateways]
    log(`Counting instructions: ${ROUNDS} × ${int(REQUESTS)} non-streaming chat requests per target after ${int(WARMUP)} to warm up, ${CONCURRENCY} in flight; the ${targets.length} targets side by side`)
    // Side by side: the counts do not depend on how the cores are shared, and the run is shorter.
    const results = await Promise.all(targets.map(t => measure(t)))

    const mean = r => r.rounds.reduce((a, x) => a + x.perRequest, 0) / r.rounds.length
    const floor = mean(results[0])
    const rows = targets.map((t, i) => [t.label, ...results[i].rounds.map(x => int(x.perRequest)), int(mean(results[i])), `${fmt(mean(results[i]) / floor, 2)}×`, fmt(results[i].rounds.reduce((a, x) => a + x.wallMs, 0) / results[i].rounds.length / REQUESTS, 1), int(results[i].idlePerS), results[i].retries])
    log('')
    log(mdTable(['target', ...results[0].rounds.map((_, i) => `round ${i + 1} instr / request`), 'mean', 'vs bare proxy', 'wall ms / request', 'idle instr / s', 'requests sent again'], rows))
    for (let i = 1; i < targets.length; i++) log(`${targets[i].label}: ${fmt(mean(results[i]) / floor, 2)}× the bare proxy's instructions per request`)
    log(`${fmt((Date.now() - started) / 1000, 0)} s in all.`)
    const out = join(here, 'results')
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, 'instructions-latest.json'), `${JSON.stringify({ date: new Date().toISOString(), requests: REQUESTS, warmup: WARMUP, rounds: ROUNDS, concurrency: CONCURRENCY, targets: targets.map((t, i) => ({ label: t.label, ...results[i], mean: mean(results[i]), vsProxy: mean(results[i]) / floor })) }, null, 2)}\n`)
  }
  finally {
    await stopAll()
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** The commit a build came from: its tree's HEAD, marked when server/ has uncommitted changes. */
function sourceOf(entry) {
  const cwd = dirname(dirname(dirname(entry)))
  try {
    const git = (...a) => execFileSync('git', a, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const dirty = git('status', '--porcelain', '--', 'server', 'nuxt.config.ts') ? '+changes' : ''
    return `${git('rev-parse', '--short', 'HEAD')}${dirty}`
  }
  catch {
    return cwd
  }
}

main().catch(async (error) => {
  console.error(error)
  await stopAll()
  process.exit(1)
})

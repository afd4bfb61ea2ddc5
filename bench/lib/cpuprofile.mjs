// Summarises a V8 .cpuprofile (from node --cpu-prof): self and inclusive time by function, by source
// file and by package, optionally only for samples inside a time window. Positions in the built
// server (.output/server/chunks/*.mjs) are mapped back to their sources (server/…, node_modules/…)
// through the build's source maps, decoded here (base64 VLQ) so no dependency is needed.
//
//   node bench/lib/cpuprofile.mjs FILE.cpuprofile [--top 25] [--from US --to US]
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const B64 = Object.fromEntries([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]))

function decodeMappings(mappings) {
  // Returns, per generated line, segments [genCol, sourceIdx, origLine, origCol] sorted by genCol.
  const lines = []
  let src = 0
  let oLine = 0
  let oCol = 0
  for (const lineText of mappings.split(';')) {
    const segs = []
    let gCol = 0
    for (const seg of lineText.split(',')) {
      if (!seg) continue
      const vals = []
      let value = 0
      let shift = 0
      for (const ch of seg) {
        const d = B64[ch]
        value += (d & 31) << shift
        if (d & 32) shift += 5
        else {
          vals.push(value & 1 ? -(value >>> 1) : value >>> 1)
          value = 0
          shift = 0
        }
      }
      gCol += vals[0]
      if (vals.length >= 4) {
        src += vals[1]
        oLine += vals[2]
        oCol += vals[3]
        segs.push([gCol, src, oLine, oCol])
      }
    }
    lines.push(segs)
  }
  return lines
}

const maps = new Map()
function sourceMapFor(file) {
  if (maps.has(file)) return maps.get(file)
  let map = null
  try {
    if (existsSync(`${file}.map`)) {
      const raw = JSON.parse(readFileSync(`${file}.map`, 'utf8'))
      map = { sources: raw.sources, lines: decodeMappings(raw.mappings) }
    }
  }
  catch { map = null }
  maps.set(file, map)
  return map
}

/** A readable source path: `server/…`, `node_modules/<pkg>/…`, `node:…` or the url shortened. */
function cleanSource(p) {
  const nm = p.lastIndexOf('node_modules/')
  if (nm >= 0) return p.slice(nm)
  const i = p.search(/(^|\/)(server|app|pages|components|composables|layouts|middleware|plugins)\//)
  if (i >= 0) return p.slice(p[i] === '/' ? i + 1 : i)
  return p.replace(/^(\.\.\/)+/, '').replace(/^\/+/, '')
}

function locate(callFrame) {
  const { url, lineNumber, columnNumber } = callFrame
  if (!url) return { source: '', line: lineNumber + 1 }
  if (url.startsWith('node:')) return { source: url, line: lineNumber + 1 }
  let file = url
  if (url.startsWith('file://')) {
    try { file = fileURLToPath(url) }
    catch { /* keep it */ }
  }
  const map = file.endsWith('.mjs') || file.endsWith('.js') ? sourceMapFor(file) : null
  const segs = map?.lines[lineNumber]
  if (segs?.length) {
    let best = segs[0]
    for (const s of segs) {
      if (s[0] <= columnNumber) best = s
      else break
    }
    return { source: cleanSource(map.sources[best[1]] ?? file), line: best[2] + 1 }
  }
  return { source: cleanSource(file), line: lineNumber + 1 }
}

/** The package or area a source belongs to, for the coarse breakdown. */
export function areaOf(source, name) {
  if (!source) {
    if (name === '(garbage collector)') return 'GC'
    if (name === '(program)') return 'V8/native (unattributed)'
    if (name === '(idle)') return 'idle'
    return 'V8 builtins / native bindings'
  }
  if (source.startsWith('node:')) return 'node core'
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)
  if (nm) return nm[1]
  const srv = /^server\/(utils\/[^/]+|[^/]+)/.exec(source)
  if (srv) return `gateway: server/${srv[1]}`
  return source
}

/**
 * What the gateway's hot path spends its time on, by stack membership: a sample counts for a group
 * when any frame on its (synchronous) stack comes from one of the group's sources, so the groups may
 * overlap. Work resumed after an `await` is charged to the resumed function only.
 */
export const GATEWAY_GROUPS = [
  ['request log: buffered SQLite flush (store/request-log.ts, db/, db0, better-sqlite3)', s => s === 'server/utils/store/request-log.ts' || s.startsWith('server/utils/db/') || /node_modules\/(db0|better-sqlite3)\//.test(s)],
  ['access log: one JSON line per request to stdout (ops/access-log.ts)', s => s === 'server/utils/ops/access-log.ts'],
  ['Prometheus metrics (ops/metrics.ts, prom-client)', s => s === 'server/utils/ops/metrics.ts' || s.includes('node_modules/prom-client/')],
  ['key authentication (gateway/auth.ts, store/keys.ts HMAC, core/crypto.ts)', s => s === 'server/utils/gateway/auth.ts' || s === 'server/utils/store/keys.ts' || s === 'server/utils/core/crypto.ts'],
  ['middleware (server/middleware/*)', s => s.startsWith('server/middleware/')],
  ['request body: read, JSON.parse, zod (gateway/body.ts, schemas, zod)', s => s === 'server/utils/gateway/body.ts' || s === 'server/utils/gateway/schemas.ts' || s.includes('node_modules/zod/')],
  ['provider adapter: build request, parse response/stream (providers/*)', s => s.startsWith('server/utils/providers/')],
  ['upstream HTTP client (undici)', s => s.includes('node_modules/undici/')],
  ['limits, budget, circuit (gateway/limits.ts, circuit.ts, ops/rate-limit.ts, fixed-window.ts)', s => ['server/utils/gateway/limits.ts', 'server/utils/gateway/circuit.ts', 'server/utils/ops/rate-limit.ts', 'server/utils/ops/fixed-window.ts', 'server/utils/ops/client-ip.ts'].includes(s)],
  ['metering (gateway/meter.ts, registry/cost.ts)', s => s === 'server/utils/gateway/meter.ts' || s === 'server/utils/registry/cost.ts'],
  ['h3 / Nitro / routing (h3, nitropack, radix3, hookable, unenv)', s => /node_modules\/(h3|nitropack|radix3|hookable|unenv|rou3)\//.test(s)],
  ['Nuxt renderer (nuxt, vue, unhead, vue-bundle-renderer)', s => /node_modules\/(nuxt|@nuxt|vue|@vue|unhead|@unhead|vue-bundle-renderer)\//.test(s)],
  ['node:http server (node:_http_*)', s => s.startsWith('node:_http_')],
]

export function loadProfile(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}

/** Sample timestamps (µs, the monotonic clock of process.hrtime) and weights (µs until the next sample). */
function sampleTimes(profile) {
  const n = profile.samples.length
  const t = new Float64Array(n)
  let acc = profile.startTime
  for (let i = 0; i < n; i++) {
    acc += profile.timeDeltas[i]
    t[i] = acc
  }
  const w = new Float64Array(n)
  for (let i = 0; i < n; i++) w[i] = i + 1 < n ? t[i + 1] - t[i] : (profile.endTime - t[i])
  return { t, w }
}

export function summarizeProfile(profile, { from = -Infinity, to = Infinity, top = 25, groups = GATEWAY_GROUPS } = {}) {
  const nodes = new Map()
  const parent = new Map()
  for (const node of profile.nodes) {
    nodes.set(node.id, node)
    for (const c of node.children ?? []) parent.set(c, node.id)
  }
  const info = new Map()
  for (const node of profile.nodes) {
    const cf = node.callFrame
    const name = cf.functionName || '(anonymous)'
    const loc = locate(cf)
    const anon = !cf.functionName
    const key = `${name}\u0000${loc.source}${anon ? `:${loc.line}` : ''}`
    info.set(node.id, { key, name, source: loc.source, line: loc.line, area: areaOf(loc.source, cf.functionName) })
  }
  const { t, w } = sampleTimes(profile)
  const self = new Map()
  const incl = new Map()
  const inclFile = new Map()
  const selfArea = new Map()
  const groupUs = new Float64Array(groups.length)
  const nativeOwners = new Map() // native leaf → (first JS frame above it → µs)
  let total = 0
  let idle = 0
  let windowStart = Infinity
  let windowEnd = -Infinity
  for (let i = 0; i < profile.samples.length; i++) {
    if (t[i] < from || t[i] > to) continue
    windowStart = Math.min(windowStart, t[i])
    windowEnd = Math.max(windowEnd, t[i])
    const id = profile.samples[i]
    const me = info.get(id)
    const weight = w[i]
    total += weight
    if (me.name === '(idle)') {
      idle += weight
      continue
    }
    const s = self.get(me.key) ?? { ...me, us: 0 }
    s.us += weight
    self.set(me.key, s)
    selfArea.set(me.area, (selfArea.get(me.area) ?? 0) + weight)
    const seenKeys = new Set()
    const seenFiles = new Set()
    const inGroup = new Uint8Array(groups.length)
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const it = info.get(cur)
      if (it.source) {
        for (let g = 0; g < groups.length; g++) {
          if (!inGroup[g] && groups[g][1](it.source)) inGroup[g] = 1
        }
      }
      if (!seenKeys.has(it.key)) {
        seenKeys.add(it.key)
        const x = incl.get(it.key) ?? { ...it, us: 0 }
        x.us += weight
        incl.set(it.key, x)
      }
      if (it.source && !seenFiles.has(it.source)) {
        seenFiles.add(it.source)
        inclFile.set(it.source, (inclFile.get(it.source) ?? 0) + weight)
      }
    }
    for (let g = 0; g < groups.length; g++) if (inGroup[g]) groupUs[g] += weight
    if (!me.source && !me.name.startsWith('(')) {
      // Who called this native function or builtin: the nearest frame with a gateway or package source.
      let owner = '(no JS caller)\u0000'
      for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) {
        const it = info.get(cur)
        if (it.source.startsWith('server/') || it.source.includes('node_modules/')) {
          owner = `${it.name}\u0000${it.source}:${it.line}`
          break
        }
      }
      const m = nativeOwners.get(me.name) ?? new Map()
      m.set(owner, (m.get(owner) ?? 0) + weight)
      nativeOwners.set(me.name, m)
    }
  }
  const busy = total - idle
  const rank = (m, n) => [...m.values()].sort((a, b) => b.us - a.us).slice(0, n)
    .map(x => ({ name: x.name, source: x.source, line: x.line, area: x.area, ms: x.us / 1000, share: x.us / busy }))
  return {
    windowMs: (windowEnd - windowStart) / 1000,
    totalMs: total / 1000,
    idleMs: idle / 1000,
    busyMs: busy / 1000,
    self: rank(self, top),
    inclusive: rank(incl, 400).filter(x => x.source.startsWith('server/')).slice(0, top),
    areas: [...selfArea.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000, share: us / busy })),
    natives: [...nativeOwners.entries()].map(([name, m]) => ({ name, us: [...m.values()].reduce((a, b) => a + b, 0), m }))
      .sort((a, b) => b.us - a.us).slice(0, 6)
      .map(({ name, us, m }) => ({ name, share: us / busy, callers: [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([caller, c]) => ({ name: caller.split('\u0000')[0], where: caller.split('\u0000')[1], share: c / us })) })),
    groups: groups.map(([name], g) => ({ name, ms: groupUs[g] / 1000, share: groupUs[g] / busy })),
    files: [...inclFile.entries()].sort((a, b) => b[1] - a[1]).map(([source, us]) => ({ source, ms: us / 1000, share: us / busy })),
  }
}

/**
 * Long tasks: stretches of back-to-back busy samples (the event loop never went idle) lasting at least
 * `minMs`, the usual cause of tail latency. For each: its length and what filled it, by concern group
 * and by self time.
 */
export function longTasks(profile, { from = -Infinity, to = Infinity, minMs = 5, groups = GATEWAY_GROUPS, top = 8 } = {}) {
  const nodes = new Map(profile.nodes.map(n => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const info = new Map()
  for (const n of profile.nodes) {
    const loc = locate(n.callFrame)
    info.set(n.id, { name: n.callFrame.functionName || '(anonymous)', source: loc.source, line: loc.line })
  }
  const { t, w } = sampleTimes(profile)
  const tasks = []
  let cur = null
  const close = () => {
    if (cur && cur.ms >= minMs) tasks.push(cur)
    cur = null
  }
  let windowMs = 0
  for (let i = 0; i < profile.samples.length; i++) {
    if (t[i] < from || t[i] > to) continue
    windowMs += w[i] / 1000
    const id = profile.samples[i]
    const me = info.get(id)
    if (me.name === '(idle)') {
      close()
      continue
    }
    cur ??= { start: t[i], ms: 0, samples: [] }
    cur.ms += w[i] / 1000
    cur.samples.push([id, w[i]])
  }
  close()
  const describe = (task) => {
    const self = new Map()
    const byGroup = new Float64Array(groups.length)
    for (const [id, weight] of task.samples) {
      const me = info.get(id)
      const key = `${me.name}\u0000${me.source}${me.source ? `:${me.line}` : ''}`
      self.set(key, (self.get(key) ?? 0) + weight)
      const hit = new Uint8Array(groups.length)
      for (let c = id; c !== undefined; c = parent.get(c)) {
        const src = info.get(c).source
        if (!src) continue
        for (let g = 0; g < groups.length; g++) if (!hit[g] && groups[g][1](src)) hit[g] = 1
      }
      for (let g = 0; g < groups.length; g++) if (hit[g]) byGroup[g] += weight
    }
    const total = task.ms * 1000
    return {
      ms: task.ms,
      atMs: (task.start - (Number.isFinite(from) ? from : profile.startTime)) / 1000,
      groups: groups.map(([name], g) => ({ name, share: byGroup[g] / total })).filter(g => g.share >= 0.1).sort((a, b) => b.share - a.share),
      self: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([key, us]) => {
        const [name, where] = key.split('\u0000')
        return { name, where, share: us / total }
      }),
    }
  }
  const sorted = tasks.sort((a, b) => b.ms - a.ms)
  return {
    minMs,
    windowMs,
    count: tasks.length,
    totalMs: tasks.reduce((a, x) => a + x.ms, 0),
    perSecond: tasks.length / (windowMs / 1000),
    longest: sorted.slice(0, top).map(describe),
  }
}

export function printLongTasks(lt, { log = console.log } = {}) {
  log(`${lt.count} busy stretches ≥ ${lt.minMs} ms in ${(lt.windowMs / 1000).toFixed(1)} s (${lt.perSecond.toFixed(1)} per second, ${lt.totalMs.toFixed(0)} ms in all); the longest:`)
  for (const x of lt.longest) {
    log(`  ${x.ms.toFixed(1).padStart(6)} ms at ${(x.atMs / 1000).toFixed(2)} s: ${x.groups.map(g => `${(g.share * 100).toFixed(0)} % ${g.name.split(' (')[0]}`).join('; ') || 'no gateway group'} | top: ${x.self.map(f => `${(f.share * 100).toFixed(0)} % ${f.name} ${f.where}`.trim()).join('; ')}`)
  }
}

export function printSummary(s, { top = 25, log = console.log } = {}) {
  log(`window ${(s.windowMs / 1000).toFixed(1)} s: busy ${(s.busyMs / 1000).toFixed(2)} s, idle ${(s.idleMs / 1000).toFixed(2)} s (shares below are of busy time)`)
  log('\nTop self time:')
  s.self.slice(0, top).forEach((x, i) => log(`${String(i + 1).padStart(3)}. ${(x.share * 100).toFixed(1).padStart(5)} %  ${x.name}  ${x.source ? `${x.source}:${x.line}` : ''}`))
  log('\nSelf time by area:')
  for (const a of s.areas.slice(0, 20)) log(`  ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`)
  log('\nTop native functions and builtins, by their nearest JS caller:')
  for (const n of s.natives) log(`  ${(n.share * 100).toFixed(1).padStart(5)} %  ${n.name}: ${n.callers.map(c => `${(c.share * 100).toFixed(0)} % ${c.name} ${c.where}`.trim()).join('; ')}`)
  log('\nInclusive time by concern (any frame of the group on the stack):')
  for (const g of s.groups) log(`  ${(g.share * 100).toFixed(1).padStart(5)} %  ${g.name}`)
  log('\nInclusive time by gateway source file (synchronous stacks):')
  for (const f of s.files.filter(f => f.source.startsWith('server/')).slice(0, 20)) log(`  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.source}`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2)
  const file = args.find(a => !a.startsWith('--') && !/^\d+$/.test(a))
  const opt = name => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined)
  if (!file) {
    console.error('usage: node bench/lib/cpuprofile.mjs FILE.cpuprofile [--top 25] [--from US --to US]')
    process.exit(2)
  }
  const top = opt('--top') ?? 25
  printSummary(summarizeProfile(loadProfile(file), { from: opt('--from'), to: opt('--to'), top }), { top })
}

// Builds the server (`nuxt build`) when .output is missing or older than any source file, so
// `npm start` and `npm test` always run what the tree says.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const serverEntry = join(root, '.output/server/index.mjs')

const SOURCES = ['server', 'pages', 'components', 'layouts', 'assets', 'middleware', 'plugins', 'composables', 'app.vue', 'app.config.ts', 'error.vue', 'data/models.json', 'nuxt.config.ts', 'package-lock.json']

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

// The newest source mtime a build saw when it started: edits made during a build still count as new.
const STAMP = join(root, '.output/.sources-mtime')

const newestSource = () => Math.max(...SOURCES.map(s => newestMtime(join(root, s))))

export function buildIsStale() {
  if (!existsSync(serverEntry) || !existsSync(STAMP)) return true
  return newestSource() > Number(readFileSync(STAMP, 'utf8'))
}

const LOCK = join(root, 'node_modules/.cache/gateway-build.lock')
const LOCK_STALE_MS = 10 * 60_000

/** One build at a time across processes (parallel test runs), through an atomic mkdir. */
function withBuildLock(fn) {
  mkdirSync(dirname(LOCK), { recursive: true })
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    }
    catch {
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true })
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500)
    }
  }
  try {
    return fn()
  }
  finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

export function buildIfStale(opts = {}) {
  if (!buildIsStale()) return false
  return withBuildLock(() => build(opts))
}

function build({ quiet = false }) {
  // Another process may have built while this one waited for the lock.
  if (!buildIsStale()) return false
  if (!quiet) console.log('Building the gateway (nuxt build)…')
  const sourcesAt = newestSource()
  const res = spawnSync(process.execPath, [join(root, 'node_modules/@nuxt/cli/bin/nuxi.mjs'), 'build'], { cwd: root, stdio: quiet ? 'pipe' : 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (res.status !== 0) {
    if (quiet) process.stderr.write(res.stdout + res.stderr)
    throw new Error(`nuxt build failed (exit ${res.status})`)
  }
  writeFileSync(STAMP, String(sourcesAt))
  return true
}

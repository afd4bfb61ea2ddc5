// Builds the server (`nuxt build`) when .output is missing or older than any source file, so
// `npm start` and `npm test` always run what the tree says.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
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

export function buildIsStale() {
  const stamp = join(root, '.output/nitro.json')
  if (!existsSync(serverEntry) || !existsSync(stamp)) return true
  const built = statSync(stamp).mtimeMs
  return SOURCES.some(s => newestMtime(join(root, s)) > built)
}

export function buildIfStale({ quiet = false } = {}) {
  if (!buildIsStale()) return false
  if (!quiet) console.log('Building the gateway (nuxt build)…')
  const res = spawnSync(process.execPath, [join(root, 'node_modules/@nuxt/cli/bin/nuxi.mjs'), 'build'], { cwd: root, stdio: quiet ? 'pipe' : 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (res.status !== 0) {
    if (quiet) process.stderr.write(res.stdout + res.stderr)
    throw new Error(`nuxt build failed (exit ${res.status})`)
  }
  return true
}

// The whole project type-checks (server, dashboard and tests, as `nuxt typecheck` sees them): a name
// lost in a refactor fails here rather than at run time on a path no other test takes.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')

it('passes nuxt typecheck', () => {
  const run = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/@nuxt/cli/bin/nuxi.mjs'), 'typecheck'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 })
  const errors = `${run.stdout}${run.stderr}`.split('\n').filter(l => /error TS\d+/.test(l))
  expect(errors).toEqual([])
  expect(run.status).toBe(0)
}, 200_000)

// The server has no auto-imports, so every name it uses is imported: one imported and never used is dead.
it('leaves no unused import or local in the server', () => {
  const run = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--noUnusedLocals', '-p', resolve(ROOT, '.nuxt/tsconfig.server.json')], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 })
  const errors = `${run.stdout}${run.stderr}`.split('\n').filter(l => /error TS\d+/.test(l))
  expect(errors).toEqual([])
  expect(run.status).toBe(0)
}, 200_000)

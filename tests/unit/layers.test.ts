// The server's dependency order, enforced: each folder may import only from its own rank or a lower
// one, and no set of files may import each other in a cycle. The order (README, Architecture):
//   core → dialects → db, shared → store → registry → providers, inbound → gateway
//   → endpoints, admin, ops, tasks → app (the composition root) → Nitro's routes, api, middleware, plugins
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SERVER = resolve(__dirname, '../../server')

/** Rank of each folder: utils/<name> for domain code, the top-level Nitro folders above them all. */
const RANKS: Record<string, number> = {
  'utils/core': 0,
  'utils/dialects': 1,
  'utils/db': 2,
  'utils/shared': 2,
  'utils/store': 3,
  'utils/registry': 4,
  'utils/providers': 5,
  'utils/inbound': 5,
  'utils/gateway': 6,
  'utils/endpoints': 7,
  'utils/admin': 7,
  'utils/ops': 7,
  'utils/tasks': 7,
  'utils/app': 8,
  'routes': 9,
  'api': 9,
  'middleware': 9,
  'plugins': 9,
  'tasks': 9,
  'types': 9,
}

/** The folder (a RANKS key) a server file belongs to. */
export function folderOf(file: string): string | undefined {
  const rel = relative(SERVER, file).split('/')
  const key = rel[0] === 'utils' ? `utils/${rel[1]}` : rel[0]!
  return key in RANKS ? key : undefined
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : []
  })
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm

/** The server files a file imports (relative specifiers resolved; packages and JSON data left out). */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): { spec: string, target: string }[] {
  const out: { spec: string, target: string }[] = []
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1]!
    if (!spec.startsWith('.')) continue
    const base = resolve(dirname(file), spec)
    const target = [base, `${base}.ts`, join(base, 'index.ts')].find(p => p.startsWith(SERVER) && p.endsWith('.ts') && statSync(p, { throwIfNoEntry: false })?.isFile())
    if (target) out.push({ spec, target })
  }
  return out
}

/** Imports that point up the order, as `file: import 'spec' (folder rank → folder rank)`. */
export function upwardImports(files: string[], read: (f: string) => string = f => readFileSync(f, 'utf8')): string[] {
  const problems: string[] = []
  for (const file of files) {
    const from = folderOf(file)
    if (!from) {
      problems.push(`${relative(SERVER, file)}: this folder has no place in the layer order (add it to RANKS in tests/unit/layers.test.ts and to README)`)
      continue
    }
    for (const { spec, target } of importsOf(file, read(file))) {
      const to = folderOf(target)
      if (to && RANKS[to]! > RANKS[from]!) problems.push(`${relative(SERVER, file)}: import '${spec}' points up the order (${from} ${RANKS[from]} → ${to} ${RANKS[to]})`)
    }
  }
  return problems
}

/** Every import cycle among the files (strongly connected components of more than one file, or a self-import). */
export function importCycles(files: string[], read: (f: string) => string = f => readFileSync(f, 'utf8')): string[][] {
  const edges = new Map(files.map(f => [f, importsOf(f, read(f)).map(i => i.target)]))
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  let next = 0
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    let w: string
    do {
      w = stack.pop()!
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    if (component.length > 1 || edges.get(v)?.includes(v)) cycles.push(component.map(f => relative(SERVER, f)).sort())
  }
  for (const f of files) if (!index.has(f)) visit(f)
  return cycles
}

describe('server layer order', () => {
  const files = sourceFiles(SERVER)

  it('has no import that points up the order', () => {
    expect(upwardImports(files)).toEqual([])
  })

  it('has no import cycle', () => {
    expect(importCycles(files)).toEqual([])
  })

  // The checks themselves, on made-up files: a test that cannot fail would prove nothing.
  it('names a provider file that imports from the gateway', () => {
    const provider = join(SERVER, 'utils/providers/openai/request.ts')
    const problems = upwardImports([provider], () => 'import { dispatch } from \'../../gateway/dispatch\'\n')
    expect(problems).toEqual(['utils/providers/openai/request.ts: import \'../../gateway/dispatch\' points up the order (utils/providers 5 → utils/gateway 6)'])
  })

  it('finds a cycle between two files', () => {
    const a = join(SERVER, 'utils/db/index.ts')
    const b = join(SERVER, 'utils/db/dialect.ts')
    const sources: Record<string, string> = { [a]: 'import { x } from \'./dialect\'\n', [b]: 'import type { Db } from \'./index\'\n' }
    expect(importCycles([a, b], f => sources[f]!)).toEqual([['utils/db/dialect.ts', 'utils/db/index.ts']])
  })
})

// The JSON shape scanner that refuses over-deep and over-wide bodies before JSON.parse: exact limits,
// structure inside strings (escapes, unicode) ignored, and the same verdict however the body is cut
// into chunks.
import { describe, expect, it } from 'vitest'
import { type JsonLimits, JsonScanner } from '../../server/utils/gateway/json-scan'

const bytes = (text: string) => Buffer.from(text, 'utf8')
const scan = (text: string, limits: JsonLimits) => new JsonScanner(limits).feed(bytes(text))
const roomy = { maxDepth: 1000, maxValues: 1_000_000 }

/** Feeds `data` in pieces cut at `cuts`; the first refusal, if any. */
function scanInPieces(data: Uint8Array, limits: JsonLimits, cuts: number[]) {
  const scanner = new JsonScanner(limits)
  let from = 0
  for (const cut of [...cuts, data.length]) {
    const verdict = scanner.feed(data.subarray(from, cut))
    if (verdict) return verdict
    from = cut
  }
  return undefined
}

/** What the scanner should find, computed from the parsed value: nesting depth and arrays + objects + commas. */
function shapeOf(value: unknown): { depth: number, values: number } {
  if (value === null || typeof value !== 'object') return { depth: 0, values: 0 }
  const children = Array.isArray(value) ? value : Object.values(value)
  const inner = children.map(shapeOf)
  return {
    depth: 1 + Math.max(0, ...inner.map(s => s.depth)),
    values: 1 + Math.max(0, children.length - 1) + inner.reduce((n, s) => n + s.values, 0),
  }
}

// Deterministic random JSON whose strings are full of what a careless scanner would trip on.
function random(seed: number) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const TRICKY = ['"', '\\', '\\\\', '[', ']', '{', '}', ',', ':', 'ü', '😀', '中', '\u0000', '\n', '\\u005b', 'a', ' ', '\\"']
function randomValue(next: () => number, depth: number): unknown {
  const pick = next()
  if (depth > 6 || pick < 0.3) {
    const kind = Math.floor(next() * 5)
    if (kind === 0) return Math.floor(next() * 1e6) * (next() < 0.5 ? -1 : 1) / 100
    if (kind === 1) return next() < 0.5
    if (kind === 2) return null
    const length = next() < 0.2 ? 20 + Math.floor(next() * 200) : Math.floor(next() * 6)
    return Array.from({ length }, () => TRICKY[Math.floor(next() * TRICKY.length)]).join('')
  }
  const length = Math.floor(next() * 5)
  if (pick < 0.65) return Array.from({ length }, () => randomValue(next, depth + 1))
  return Object.fromEntries(Array.from({ length }, (_, i) => [`${TRICKY[Math.floor(next() * TRICKY.length)]}${i}`, randomValue(next, depth + 1)]))
}

describe('JsonScanner', () => {
  it('allows exactly maxDepth levels of nesting and refuses one more', () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n)
    expect(scan(nested(64), { maxDepth: 64, maxValues: 1000 })).toBeUndefined()
    expect(scan(nested(65), { maxDepth: 64, maxValues: 1000 })).toBe('too_deep')
    const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)
    expect(scan(objects(10), { maxDepth: 10, maxValues: 1000 })).toBeUndefined()
    expect(scan(objects(11), { maxDepth: 10, maxValues: 1000 })).toBe('too_deep')
    // Depth is nesting, not the number of containers: siblings do not add up.
    expect(scan(`[${Array.from({ length: 100 }, () => '[[1]]').join(',')}]`, { maxDepth: 3, maxValues: 1000 })).toBeUndefined()
  })

  it('allows exactly maxValues array items and object members and refuses one more', () => {
    const items = (n: number) => `[${Array.from({ length: n }, () => '0').join(',')}]`
    expect(scan(items(1000), { maxDepth: 64, maxValues: 1000 })).toBeUndefined()
    expect(scan(items(1001), { maxDepth: 64, maxValues: 1000 })).toBe('too_complex')
    const members = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`
    expect(scan(members(50), { maxDepth: 64, maxValues: 50 })).toBeUndefined()
    expect(scan(members(51), { maxDepth: 64, maxValues: 50 })).toBe('too_complex')
    // Every array and object counts one, so a million empty ones cost what a million items do.
    expect(scan(`[${Array.from({ length: 9 }, () => '{}').join(',')}]`, { maxDepth: 64, maxValues: 18 })).toBeUndefined()
    expect(scan(`[${Array.from({ length: 9 }, () => '{}').join(',')}]`, { maxDepth: 64, maxValues: 17 })).toBe('too_complex')
  })

  it('ignores brackets, braces and commas inside strings, keys included', () => {
    const text = JSON.stringify({ '[[[{{{,,,': '"]]]}}},,,[[[', 'list': ['[', '{', ',', '\\[', '"['] })
    expect(shapeOf(JSON.parse(text))).toEqual({ depth: 2, values: 7 })
    expect(scan(text, { maxDepth: 2, maxValues: 7 })).toBeUndefined()
    expect(scan(text, { maxDepth: 1, maxValues: 7 })).toBe('too_deep')
    expect(scan(text, { maxDepth: 2, maxValues: 6 })).toBe('too_complex')
  })

  it('ends a string only at an unescaped quote, in short and long strings', () => {
    for (const pad of ['', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(33), 'y'.repeat(500)]) {
      for (const tail of ['\\"', '\\\\', '\\\\\\"', '\\\\\\\\', '\\u0022', '\\/']) {
        // The string's raw text: an escaped quote must not end it; an escaped backslash then a quote must.
        const text = `{"s":"${pad}${tail}[[[","t":[[1]]}`
        const parsed = JSON.parse(text)
        expect(scan(text, roomy), text).toBeUndefined()
        const { depth, values } = shapeOf(parsed)
        expect(scan(text, { maxDepth: depth, maxValues: values }), text).toBeUndefined()
        expect(scan(text, { maxDepth: depth - 1, maxValues: values }), text).toBe('too_deep')
      }
    }
  })

  it('reads unicode, numbers, literals and whitespace as they are', () => {
    const text = ' \n\t{ "ünï😀": [ -1.5e+10 , 0 , true , false , null , "中文 ✓" ] ,\r\n "e": { } } '
    expect(shapeOf(JSON.parse(text))).toEqual({ depth: 2, values: 9 })
    expect(scan(text, { maxDepth: 2, maxValues: 9 })).toBeUndefined()
    expect(scan(text, { maxDepth: 2, maxValues: 8 })).toBe('too_complex')
  })

  it('finds the same shape as JSON.parse in random documents, however they are cut into chunks', () => {
    const next = random(42)
    for (let doc = 0; doc < 300; doc++) {
      const value = { root: randomValue(next, 0) }
      const data = bytes(JSON.stringify(value))
      const { depth, values } = shapeOf(value)
      const exact = { maxDepth: depth, maxValues: values }
      const cuts = Array.from({ length: 1 + Math.floor(next() * 8) }, () => Math.floor(next() * data.length)).sort((a, b) => a - b)
      expect(scanInPieces(data, exact, cuts)).toBeUndefined()
      expect(scanInPieces(data, { ...exact, maxDepth: depth - 1 }, cuts)).toBe('too_deep')
      if (values > depth) expect(scanInPieces(data, { ...exact, maxValues: values - 1 }, cuts)).toBe('too_complex')
    }
  })

  it('keeps its place in a string or an escape across every possible cut', () => {
    const text = JSON.stringify({ a: `${'z'.repeat(40)}\\"[{,ü😀\\\\`, b: [['"', '\\']] })
    const data = bytes(text)
    const { depth, values } = shapeOf(JSON.parse(text))
    for (let cut = 0; cut <= data.length; cut++) {
      expect(scanInPieces(data, { maxDepth: depth, maxValues: values }, [cut]), `cut at ${cut}`).toBeUndefined()
      expect(scanInPieces(data, { maxDepth: depth - 1, maxValues: values }, [cut]), `cut at ${cut}`).toBe('too_deep')
    }
    // One byte at a time.
    expect(scanInPieces(data, { maxDepth: depth - 1, maxValues: values }, Array.from({ length: data.length }, (_, i) => i))).toBe('too_deep')
    expect(scanInPieces(data, { maxDepth: depth, maxValues: values }, Array.from({ length: data.length }, (_, i) => i))).toBeUndefined()
  })

  it('refuses a hostile body in the chunk that crosses the limit, without reading the rest', () => {
    const scanner = new JsonScanner({ maxDepth: 64, maxValues: 500_000 })
    expect(scanner.feed(bytes(`{"model":"m","x":${'['.repeat(65_536)}`))).toBe('too_deep')
    const wide = new JsonScanner({ maxDepth: 64, maxValues: 500_000 })
    const chunk = bytes('0,'.repeat(32_768))
    let chunks = 1
    while (!wide.feed(chunk)) chunks++
    expect(chunks).toBe(Math.ceil(500_001 / 32_768))
  })
})

// One pass over a JSON body's bytes as they arrive, refusing nesting deeper than `maxDepth` and more
// than `maxValues` values before JSON.parse, the schema and a translation walk them: a 20 MiB body
// of nested brackets or of millions of tiny items otherwise stalls the event loop for seconds, and
// re-serialising deep nesting overflows the stack. It does not validate JSON (JSON.parse does, and
// stops at the first error); it only counts structure outside strings. Bytes, not characters: every
// byte of a multi-byte UTF-8 character is >= 0x80, so none is mistaken for a bracket or a quote.
const QUOTE = 0x22
const BACKSLASH = 0x5C
const COMMA = 0x2C
const OPEN_ARRAY = 0x5B
const CLOSE_ARRAY = 0x5D
const OPEN_OBJECT = 0x7B
const CLOSE_OBJECT = 0x7D

// Most strings are short, and a byte loop beats an indexOf call on a few bytes; past this many
// bytes the rest of a string (a base64 image, a long prompt) is searched with indexOf (memchr).
const INLINE_STRING_BYTES = 32

// skipString's answers when a string runs past the end of the chunk.
const OPEN_STRING = -1
const OPEN_ESCAPE = -2

export interface JsonLimits {
  maxDepth: number
  /** Arrays, objects and commas outside strings: one per array item and object member (an empty array or object counts one). */
  maxValues: number
}

export type JsonScanVerdict = 'too_deep' | 'too_complex'

/**
 * Where a string whose content starts at `from` ends: the index after its closing quote, or
 * OPEN_STRING / OPEN_ESCAPE when it runs past the chunk (in the middle of an escape for the latter).
 */
function skipString(bytes: Uint8Array, from: number, escaped: boolean): number {
  const n = bytes.length
  let i = escaped ? from + 1 : from
  const inlineEnd = Math.min(n, i + INLINE_STRING_BYTES)
  while (i < inlineEnd) {
    const c = bytes[i++]
    if (c === QUOTE) return i
    // The escaped byte is skipped whatever it is (the hex digits of \uXXXX are plain bytes).
    if (c === BACKSLASH) i++
  }
  if (i > n) return OPEN_ESCAPE
  // Here `i` is not inside an escape: a quote ends the string when an even run of backslashes
  // (counted back to `i` at most) precedes it.
  const start = i
  for (let q = bytes.indexOf(QUOTE, start); ; q = bytes.indexOf(QUOTE, q + 1)) {
    const end = q === -1 ? n : q
    let k = end - 1
    while (k >= start && bytes[k] === BACKSLASH) k--
    const odd = ((end - 1 - k) & 1) === 1
    if (q === -1) return odd ? OPEN_ESCAPE : OPEN_STRING
    if (!odd) return q + 1
  }
}

/** Scans a body chunk by chunk; the state between chunks is the depth, the count and an open string. */
export class JsonScanner {
  private depth = 0
  private values = 0
  /** OPEN_STRING or OPEN_ESCAPE while the previous chunk ended inside a string, else 0. */
  private open = 0

  constructor(private readonly limits: JsonLimits) {}

  /** Scans the next chunk: why the body is refused, or undefined while it is within the limits. */
  feed(bytes: Uint8Array): JsonScanVerdict | undefined {
    const { maxDepth, maxValues } = this.limits
    const n = bytes.length
    let depth = this.depth
    let values = this.values
    let i = 0
    if (this.open !== 0) {
      i = skipString(bytes, 0, this.open === OPEN_ESCAPE)
      if (i < 0) {
        this.open = i
        return undefined
      }
      this.open = 0
    }
    let verdict: JsonScanVerdict | undefined
    while (i < n) {
      const c = bytes[i++]
      if (c === QUOTE) {
        i = skipString(bytes, i, false)
        if (i < 0) {
          this.open = i
          break
        }
      }
      else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        if (++depth > maxDepth) {
          verdict = 'too_deep'
          break
        }
        if (++values > maxValues) {
          verdict = 'too_complex'
          break
        }
      }
      else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
        depth--
      }
      else if (c === COMMA && ++values > maxValues) {
        verdict = 'too_complex'
        break
      }
    }
    this.depth = depth
    this.values = values
    return verdict
  }
}

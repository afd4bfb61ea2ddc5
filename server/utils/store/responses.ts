// Stored Responses API responses: the response object, its input items and the response it
// continued, under the key that created it. Every read is by key and id, so another key's response
// is as absent as an unknown one. Written before the answer leaves, so a follow-up on any instance
// finds it.
import { database } from '../db'
import type { Write } from './write'

export interface StoredResponse {
  id: string
  keyId: string
  createdAt: number
  provider: string
  /** OpenAI keeps this response too (it answered it with store on): a follow-up may name it there. */
  upstreamStored: boolean
  previousResponseId: string | null
  /** The input items of this turn, each with its id. */
  input: Record<string, unknown>[]
  /** The Responses API object as answered. */
  response: Record<string, unknown> & { output?: Record<string, unknown>[] }
}

interface ResponseRow {
  id: string
  key_id: string
  created_at: number | string
  provider: string
  upstream_stored: number
  previous_response_id: string | null
  input: string
  response: string
}

/** Longest previous_response_id chain followed: a loop or a runaway chain stops here. */
const MAX_CHAIN = 1000

const fromRow = (r: ResponseRow): StoredResponse => ({
  id: r.id,
  keyId: r.key_id,
  createdAt: Number(r.created_at),
  provider: r.provider,
  upstreamStored: Boolean(Number(r.upstream_stored)),
  previousResponseId: r.previous_response_id,
  input: JSON.parse(r.input),
  response: JSON.parse(r.response),
})

/** Rows a statement changed: SQLite says `changes`, PostgreSQL `rowCount`. */
function changedRows(res: unknown): number {
  const r = res as { changes?: number, rowCount?: number }
  return Number(r.changes ?? r.rowCount ?? 0)
}

const INSERT_SQL = `INSERT INTO responses (id, key_id, created_at, provider, upstream_stored, previous_response_id, input, response)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

/** The write that stores a response (./write.ts commit: resolved once committed, so that the next read on any connection finds it). */
export function responseWrite(s: StoredResponse): Write {
  const row = [s.id, s.keyId, s.createdAt, s.provider, s.upstreamStored ? 1 : 0, s.previousResponseId, JSON.stringify(s.input), JSON.stringify(s.response)]
  return { statements: [INSERT_SQL], lists: [[row]] }
}

/** A stored response as read, with the response object's text as stored (what replaceResponse compares). */
export interface LoadedResponse extends StoredResponse {
  responseText: string
}

export async function loadResponse(keyId: string, id: string): Promise<LoadedResponse | undefined> {
  const { db } = await database()
  const row = await db.prepare('SELECT * FROM responses WHERE id = ? AND key_id = ?').get(id, keyId) as ResponseRow | undefined
  return row ? { ...fromRow(row), responseText: row.response } : undefined
}

/**
 * Replaces the response object of a stored response if it is still `expected` (its text as last
 * read or written), and returns whether it did: a compare-and-set, so that a background response's
 * run and a cancel made on another instance never overwrite each other's state.
 */
export async function replaceResponse(keyId: string, id: string, expected: string, next: string): Promise<boolean> {
  const { db, transaction } = await database()
  const res = await transaction(() => db.prepare('UPDATE responses SET response = ? WHERE id = ? AND key_id = ? AND response = ?').run(next, id, keyId, expected))
  return changedRows(res) > 0
}

export async function deleteResponse(keyId: string, id: string): Promise<boolean> {
  const { db, transaction } = await database()
  const res = await transaction(() => db.prepare('DELETE FROM responses WHERE id = ? AND key_id = ?').run(id, keyId))
  return changedRows(res) > 0
}

/**
 * The chain that ends at `last`, oldest first. A response of the chain that was deleted ends it
 * there (the conversation starts after it).
 */
export async function responseChain(keyId: string, last: StoredResponse): Promise<StoredResponse[]> {
  const chain = [last]
  const seen = new Set([last.id])
  for (let prev = last.previousResponseId; prev && !seen.has(prev) && chain.length < MAX_CHAIN;) {
    const r = await loadResponse(keyId, prev)
    if (!r) break
    chain.unshift(r)
    seen.add(r.id)
    prev = r.previousResponseId
  }
  return chain
}

/** `%`, `_` and the escape character itself, escaped for LIKE … ESCAPE '!'. */
const likeLiteral = (text: string) => text.replace(/[!%_]/g, c => `!${c}`)

/**
 * The items with these ids among the input and output of the key's stored responses (what an
 * `item_reference` names), each from the newest response that holds it. Stored objects are
 * compact JSON, so an item's id appears as `"id":"…"` in its response's text.
 */
export async function findItems(keyId: string, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const { db } = await database()
  const found = new Map<string, Record<string, unknown>>()
  for (const id of new Set(ids)) {
    const pattern = `%${likeLiteral(`"id":${JSON.stringify(id)}`)}%`
    const row = await db.prepare(`SELECT input, response FROM responses WHERE key_id = ? AND (response LIKE ? ESCAPE '!' OR input LIKE ? ESCAPE '!') ORDER BY created_at DESC LIMIT 1`)
      .get(keyId, pattern, pattern) as Pick<ResponseRow, 'input' | 'response'> | undefined
    if (!row) continue
    const items: Record<string, unknown>[] = [...JSON.parse(row.input), ...(JSON.parse(row.response).output ?? [])]
    const item = items.find(i => i.id === id)
    if (item) found.set(id, item)
  }
  return found
}

/** Deletes the responses created before `cutoff` (epoch ms), of every key; returns how many. */
export async function deleteResponsesCreatedBefore(cutoff: number): Promise<number> {
  const { db, transaction } = await database()
  const res = await transaction(() => db.prepare('DELETE FROM responses WHERE created_at < ?').run(cutoff))
  return changedRows(res)
}

// Conversations (OpenAI's Conversations API): each under the key that created it, with its items in
// the order they were added. Every read is by key and id, so another key's conversation is as absent
// as an unknown one. Items are added by statements alone (no read first), so an append commits in
// the same transaction as the response it came from, on the SQLite writer thread too, and appends on
// several instances at once each take their own positions.
import { database } from '../db'
import type { Write } from './write'

type Item = Record<string, unknown> & { id: string }

export interface Conversation {
  id: string
  keyId: string
  createdAt: number
  metadata: Record<string, string>
}

interface ConversationRow {
  id: string
  key_id: string
  created_at: number | string
  metadata: string
}

const fromRow = (r: ConversationRow): Conversation => ({
  id: r.id,
  keyId: r.key_id,
  createdAt: Number(r.created_at),
  metadata: JSON.parse(r.metadata),
})

const INSERT_SQL = 'INSERT INTO conversations (id, key_id, created_at, updated_at, metadata, next_position) VALUES (?, ?, ?, ?, ?, 0)'
// The conversation's counter is raised first (on PostgreSQL this locks its row until the commit, so
// concurrent appends queue), then each item takes the position the counter held before, plus its index.
const RESERVE_SQL = 'UPDATE conversations SET next_position = next_position + ?, updated_at = ? WHERE id = ? AND key_id = ?'
const APPEND_SQL = `INSERT INTO conversation_items (conversation_id, position, id, item)
  SELECT id, next_position - ? + ?, ?, ? FROM conversations WHERE id = ? AND key_id = ?`

/** The write that creates a conversation, without items (commit it with ./write.ts, with its first appendWrite). */
export function conversationWrite(c: Conversation): Write {
  return { statements: [INSERT_SQL], lists: [[[c.id, c.keyId, c.createdAt, c.createdAt, JSON.stringify(c.metadata)]]] }
}

/** The write that adds items at the end of the key's conversation (nothing when it is gone). */
export function appendWrite(keyId: string, conversationId: string, items: Item[], now: number): Write {
  return {
    statements: [RESERVE_SQL, APPEND_SQL],
    lists: [
      [[items.length, now, conversationId, keyId]],
      items.map((item, i) => [items.length, i, item.id, JSON.stringify(item), conversationId, keyId]),
    ],
  }
}

export async function loadConversation(keyId: string, id: string): Promise<Conversation | undefined> {
  const { db } = await database()
  const row = await db.prepare('SELECT id, key_id, created_at, metadata FROM conversations WHERE id = ? AND key_id = ?').get(id, keyId) as ConversationRow | undefined
  return row ? fromRow(row) : undefined
}

const changed = (res: unknown) => Number((res as { changes?: number, rowCount?: number }).changes ?? (res as { rowCount?: number }).rowCount ?? 0)

export async function updateConversationMetadata(keyId: string, id: string, metadata: Record<string, string>): Promise<boolean> {
  const { db, transaction } = await database()
  return changed(await transaction(() => db.prepare('UPDATE conversations SET metadata = ? WHERE id = ? AND key_id = ?').run(JSON.stringify(metadata), id, keyId))) > 0
}

/** Deletes the conversation and its items. */
export async function deleteConversation(keyId: string, id: string): Promise<boolean> {
  const { db, transaction } = await database()
  return transaction(async () => {
    const gone = changed(await db.prepare('DELETE FROM conversations WHERE id = ? AND key_id = ?').run(id, keyId)) > 0
    if (gone) await db.prepare('DELETE FROM conversation_items WHERE conversation_id = ?').run(id)
    return gone
  })
}

/** The items of a conversation (found by loadConversation, so the key's), oldest first. */
export async function itemsOfConversation(conversationId: string): Promise<Item[]> {
  const { db } = await database()
  const rows = await db.prepare('SELECT item FROM conversation_items WHERE conversation_id = ? ORDER BY position').all(conversationId) as { item: string }[]
  return rows.map(r => JSON.parse(r.item))
}

export async function itemOfConversation(conversationId: string, itemId: string): Promise<Item | undefined> {
  const { db } = await database()
  const row = await db.prepare('SELECT item FROM conversation_items WHERE conversation_id = ? AND id = ? ORDER BY position LIMIT 1').get(conversationId, itemId) as { item: string } | undefined
  return row ? JSON.parse(row.item) : undefined
}

export async function deleteConversationItem(conversationId: string, itemId: string): Promise<boolean> {
  const { db, transaction } = await database()
  return changed(await transaction(() => db.prepare('DELETE FROM conversation_items WHERE conversation_id = ? AND id = ?').run(conversationId, itemId))) > 0
}

/** Deletes the conversations no item was added to since `cutoff` (epoch ms), of every key, with their items; returns how many. */
export async function deleteConversationsIdleSince(cutoff: number): Promise<number> {
  const { db, transaction } = await database()
  return transaction(async () => {
    await db.prepare('DELETE FROM conversation_items WHERE conversation_id IN (SELECT id FROM conversations WHERE updated_at < ?)').run(cutoff)
    return changed(await db.prepare('DELETE FROM conversations WHERE updated_at < ?').run(cutoff))
  })
}

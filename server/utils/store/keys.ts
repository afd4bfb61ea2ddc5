// Gateway keys: issued to apps, stored only as HMAC-SHA256 digests under SECRET_KEY.
import { z } from 'zod'
import { hmacHex, randomToken, secretHint } from '../core/crypto'
import { secrets } from '../core/secrets'
import { usdToNano } from '../core/money'
import type { Primitive } from 'db0'
import { database } from '../db'

export const KEY_PREFIX = 'sk-gw-'

export interface GatewayKey {
  id: string
  name: string
  keyHint: string
  /** Budget in nano-dollars (core/money.ts). */
  budgetNanoUsd: number | null
  /** Spend in nano-dollars in the database when the key was read; budgets follow live spend per key id (gateway/budget.ts). */
  spentNanoUsd: number
  rpm: number | null
  tpm: number | null
  models: string[] | null
  expiresAt: number | null
  revokedAt: number | null
  lastUsedAt: number | null
  createdAt: number
}

const isoOrEpoch = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform(s => Date.parse(s))])

export const KeyLimits = z.object({
  budgetUsd: z.number().finite().nonnegative().nullable().optional(),
  rpm: z.number().int().positive().nullable().optional(),
  tpm: z.number().int().positive().nullable().optional(),
  models: z.array(z.string().min(1)).nullable().optional(),
  expiresAt: isoOrEpoch.nullable().optional(),
})
export const CreateKeyInput = KeyLimits.extend({ name: z.string().trim().min(1).max(200) }).strict()
export const UpdateKeyInput = KeyLimits.extend({ name: z.string().trim().min(1).max(200).optional() }).strict()
export type CreateKeyInput = z.infer<typeof CreateKeyInput>
export type UpdateKeyInput = z.infer<typeof UpdateKeyInput>

interface KeyRow {
  id: string
  name: string
  key_hint: string
  budget_nano_usd: number | string | null
  spent_nano_usd: number | string
  rpm: number | null
  tpm: number | null
  models: string | null
  expires_at: number | string | null
  revoked_at: number | string | null
  last_used_at: number | string | null
  created_at: number | string
}

const COLUMNS = 'id, name, key_hint, budget_nano_usd, spent_nano_usd, rpm, tpm, models, expires_at, revoked_at, last_used_at, created_at'
const num = (v: number | string | null) => (v === null ? null : Number(v))

function fromRow(r: KeyRow): GatewayKey {
  return {
    id: r.id,
    name: r.name,
    keyHint: r.key_hint,
    budgetNanoUsd: num(r.budget_nano_usd),
    spentNanoUsd: Number(r.spent_nano_usd),
    rpm: num(r.rpm),
    tpm: num(r.tpm),
    models: r.models ? JSON.parse(r.models) : null,
    expiresAt: num(r.expires_at),
    revokedAt: num(r.revoked_at),
    lastUsedAt: num(r.last_used_at),
    createdAt: Number(r.created_at),
  }
}

/** An admin's budget in dollars as stored: whole nano-dollars. */
const nanoBudget = (usd: number | null | undefined) => (usd === undefined || usd === null ? null : usdToNano(usd))

export function hashKeySecret(secret: string): string {
  return hmacHex(secrets().secretKey, secret)
}

export async function createKey(input: CreateKeyInput): Promise<{ key: GatewayKey, secret: string }> {
  const { db, transaction } = await database()
  const secret = `${KEY_PREFIX}${randomToken(32)}`
  const id = `key_${randomToken(12)}`
  const now = Date.now()
  await transaction(() => db.prepare(`INSERT INTO gateway_keys (id, name, key_hash, key_hint, budget_nano_usd, spent_nano_usd, rpm, tpm, models, expires_at, created_at)
    VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`).run(
    id, input.name, hashKeySecret(secret), `${KEY_PREFIX}…${secretHint(secret)}`, nanoBudget(input.budgetUsd), input.rpm ?? null, input.tpm ?? null,
    input.models ? JSON.stringify(input.models) : null, input.expiresAt ?? null, now,
  ))
  return { key: (await getKey(id))!, secret }
}

export async function listKeys(): Promise<GatewayKey[]> {
  const { db } = await database()
  const rows = await db.prepare(`SELECT ${COLUMNS} FROM gateway_keys ORDER BY created_at DESC, id`).all() as KeyRow[]
  return rows.map(fromRow)
}

export async function getKey(id: string): Promise<GatewayKey | undefined> {
  const { db } = await database()
  const row = await db.prepare(`SELECT ${COLUMNS} FROM gateway_keys WHERE id = ?`).get(id) as KeyRow | undefined
  return row && fromRow(row)
}

export async function findKeyByHash(hash: string): Promise<GatewayKey | undefined> {
  const { db } = await database()
  const row = await db.prepare(`SELECT ${COLUMNS} FROM gateway_keys WHERE key_hash = ?`).get(hash) as KeyRow | undefined
  return row && fromRow(row)
}

const UPDATABLE: Record<keyof UpdateKeyInput, string> = {
  name: 'name', budgetUsd: 'budget_nano_usd', rpm: 'rpm', tpm: 'tpm', models: 'models', expiresAt: 'expires_at',
}

export async function updateKey(id: string, patch: UpdateKeyInput): Promise<GatewayKey | undefined> {
  const { db, transaction } = await database()
  const sets: string[] = []
  const values: Primitive[] = []
  for (const [field, column] of Object.entries(UPDATABLE) as [keyof UpdateKeyInput, string][]) {
    if (patch[field] === undefined) continue
    sets.push(`${column} = ?`)
    const value = patch[field]
    values.push(value === null ? null : field === 'models' ? JSON.stringify(value) : field === 'budgetUsd' ? nanoBudget(value as number) : value as Primitive)
  }
  if (sets.length) await transaction(() => db.prepare(`UPDATE gateway_keys SET ${sets.join(', ')} WHERE id = ?`).run(...values, id))
  return getKey(id)
}

export async function revokeKey(id: string): Promise<GatewayKey | undefined> {
  const { db, transaction } = await database()
  await transaction(() => db.prepare('UPDATE gateway_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(Date.now(), id))
  return getKey(id)
}

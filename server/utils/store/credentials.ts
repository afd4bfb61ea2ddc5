// Provider credentials stored through the admin API, sealed with AES-256-GCM. Values sealed under a
// previous encryption key are re-sealed under the current one at start (key rotation).
import { cipherKeyIdOf, decryptSecret, encryptSecret, secretHint } from '../core/crypto'
import { secrets } from '../core/secrets'
import { database } from '../db'

export interface StoredCredential {
  /** The provider's name (a registry provider id). */
  provider: string
  apiKey: string
  keyHint: string
  baseUrl: string | null
  updatedAt: number
}

interface CredentialRow {
  provider: string
  api_key_enc: string
  key_hint: string
  base_url: string | null
  updated_at: number | string
}

export async function loadCredentials(): Promise<StoredCredential[]> {
  const { db, transaction } = await database()
  const { cipherKey, decryptionKeys } = secrets()
  const rows = await db.prepare('SELECT provider, api_key_enc, key_hint, base_url, updated_at FROM provider_credentials').all() as CredentialRow[]
  const out: StoredCredential[] = []
  for (const r of rows) {
    const apiKey = decryptSecret(r.api_key_enc, decryptionKeys)
    if (cipherKeyIdOf(r.api_key_enc) !== cipherKey.id) {
      await transaction(() => db.prepare('UPDATE provider_credentials SET api_key_enc = ? WHERE provider = ?').run(encryptSecret(apiKey, cipherKey), r.provider))
    }
    out.push({ provider: r.provider, apiKey, keyHint: r.key_hint, baseUrl: r.base_url, updatedAt: Number(r.updated_at) })
  }
  return out
}

export async function saveCredential(provider: string, apiKey: string, baseUrl: string | null): Promise<void> {
  const { db, transaction } = await database()
  const sealed = encryptSecret(apiKey, secrets().cipherKey)
  await transaction(() => db.prepare(`INSERT INTO provider_credentials (provider, api_key_enc, key_hint, base_url, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (provider) DO UPDATE SET api_key_enc = excluded.api_key_enc, key_hint = excluded.key_hint, base_url = excluded.base_url, updated_at = excluded.updated_at`)
    .run(provider, sealed, secretHint(apiKey), baseUrl, Date.now()))
}

export async function deleteCredential(provider: string): Promise<boolean> {
  const { db, transaction } = await database()
  const res = await transaction(() => db.prepare('DELETE FROM provider_credentials WHERE provider = ?').run(provider))
  return Boolean((res as { changes?: number }).changes ?? (res as { rowCount?: number }).rowCount)
}

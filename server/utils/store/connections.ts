// Provider connections stored through the admin API: a name, a type, where it is reached and how it
// authenticates. The API key and the extra headers that look like credentials are sealed with
// AES-256-GCM; values sealed under a previous encryption key are re-sealed under the current one at
// start (key rotation).
import { cipherKeyIdOf, decryptSecret, encryptSecret, secretHint } from '../core/crypto'
import { secrets } from '../core/secrets'
import { database } from '../db'

export interface StoredConnection {
  name: string
  type: string
  preset: string | null
  baseUrl: string | null
  apiKey: string | null
  keyHint: string | null
  /** Extra headers sent with every call: the plain ones and, opened, the sealed ones. */
  headers: Record<string, string>
  /** Names of the extra headers that are sealed (credentials). */
  sealedHeaders: string[]
  updatedAt: number
}

export type ConnectionInput = Omit<StoredConnection, 'keyHint' | 'sealedHeaders' | 'updatedAt'>

interface ConnectionRow {
  name: string
  type: string
  preset: string | null
  base_url: string | null
  api_key_enc: string | null
  key_hint: string | null
  headers: string | null
  headers_enc: string | null
  updated_at: number | string
}

/** Header names whose values are credentials (`authorization`, `api-key`, `x-…-key`, tokens, secrets). */
export const isCredentialHeader = (name: string) => /^(authorization|proxy-authorization|api-key|cookie)$|^x-.*-key$|token|secret/i.test(name)

const COLUMNS = 'name, type, preset, base_url, api_key_enc, key_hint, headers, headers_enc, updated_at'

export async function loadConnections(): Promise<StoredConnection[]> {
  const { db, transaction } = await database()
  const { cipherKey, decryptionKeys } = secrets()
  const rows = await db.prepare(`SELECT ${COLUMNS} FROM provider_connections`).all() as ConnectionRow[]
  const out: StoredConnection[] = []
  for (const r of rows) {
    const apiKey = r.api_key_enc === null ? null : decryptSecret(r.api_key_enc, decryptionKeys)
    const sealed: Record<string, string> = r.headers_enc === null ? {} : JSON.parse(decryptSecret(r.headers_enc, decryptionKeys))
    const stale = [r.api_key_enc, r.headers_enc].some(v => v !== null && cipherKeyIdOf(v) !== cipherKey.id)
    if (stale) {
      await transaction(() => db.prepare('UPDATE provider_connections SET api_key_enc = ?, headers_enc = ? WHERE name = ?')
        .run(apiKey === null ? null : encryptSecret(apiKey, cipherKey), r.headers_enc === null ? null : encryptSecret(JSON.stringify(sealed), cipherKey), r.name))
    }
    out.push({
      name: r.name,
      type: r.type,
      preset: r.preset,
      baseUrl: r.base_url,
      apiKey,
      keyHint: r.key_hint,
      headers: { ...(r.headers ? JSON.parse(r.headers) : {}), ...sealed },
      sealedHeaders: Object.keys(sealed),
      updatedAt: Number(r.updated_at),
    })
  }
  return out
}

/** Creates or replaces the connection `c.name`. */
export async function saveConnection(c: ConnectionInput): Promise<void> {
  const { db, transaction } = await database()
  const { cipherKey } = secrets()
  const plain = Object.entries(c.headers).filter(([k]) => !isCredentialHeader(k))
  const sealed = Object.entries(c.headers).filter(([k]) => isCredentialHeader(k))
  await transaction(() => db.prepare(`INSERT INTO provider_connections (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET type = excluded.type, preset = excluded.preset, base_url = excluded.base_url, api_key_enc = excluded.api_key_enc,
      key_hint = excluded.key_hint, headers = excluded.headers, headers_enc = excluded.headers_enc, updated_at = excluded.updated_at`)
    .run(
      c.name,
      c.type,
      c.preset,
      c.baseUrl,
      c.apiKey === null ? null : encryptSecret(c.apiKey, cipherKey),
      c.apiKey === null ? null : secretHint(c.apiKey),
      plain.length ? JSON.stringify(Object.fromEntries(plain)) : null,
      sealed.length ? encryptSecret(JSON.stringify(Object.fromEntries(sealed)), cipherKey) : null,
      Date.now(),
    ))
}

export async function deleteConnection(name: string): Promise<boolean> {
  const { db, transaction } = await database()
  const res = await transaction(() => db.prepare('DELETE FROM provider_connections WHERE name = ?').run(name))
  return Boolean((res as { changes?: number }).changes ?? (res as { rowCount?: number }).rowCount)
}

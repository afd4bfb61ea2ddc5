// Migration provider_connections on both databases: the official providers' stored credentials become
// connections named after their type, their sealed keys moved as they are; the old table is gone.
import { describe, expect, it } from 'vitest'
import { type DialectName, dialects } from '../../server/utils/db/dialect'
import { migrations } from '../../server/utils/db/migrations'
import { openDialectDatabase } from '../helpers/dialect-db'
import { servicesAvailable } from '../helpers/services'

const pgMissing = await servicesAvailable()
if (pgMissing) console.warn(`[connections-migration] PostgreSQL leg skipped: ${pgMissing}`)

const CONNECTIONS = migrations.find(m => m.name === 'provider_connections')!

describe.each<DialectName>(['sqlite', 'postgresql'])('provider connections on %s', (dialect) => {
  it.skipIf(dialect === 'postgresql' && Boolean(pgMissing))('moves each stored credential to a connection of its provider\'s type', async () => {
    const { db, close } = await openDialectDatabase(dialect, CONNECTIONS.version)
    try {
      const insert = db.prepare('INSERT INTO provider_credentials (provider, api_key_enc, key_hint, base_url, updated_at) VALUES (?, ?, ?, ?, ?)')
      await insert.run('openai', 'v1.k1.sealed-openai', 'abcd', null, 1000)
      await insert.run('anthropic', 'v1.k1.sealed-anthropic', 'wxyz', 'https://proxy.test', 2000)
      for (const statement of CONNECTIONS.statements(dialects[dialect])) await db.exec(statement)
      const rows = await db.prepare('SELECT name, type, preset, base_url, api_key_enc, key_hint, headers, headers_enc, updated_at FROM provider_connections ORDER BY name').all() as Record<string, unknown>[]
      expect(rows.map(r => ({ ...r, updated_at: Number(r.updated_at) }))).toEqual([
        { name: 'anthropic', type: 'anthropic', preset: null, base_url: 'https://proxy.test', api_key_enc: 'v1.k1.sealed-anthropic', key_hint: 'wxyz', headers: null, headers_enc: null, updated_at: 2000 },
        { name: 'openai', type: 'openai', preset: null, base_url: null, api_key_enc: 'v1.k1.sealed-openai', key_hint: 'abcd', headers: null, headers_enc: null, updated_at: 1000 },
      ])
      await expect(db.prepare('SELECT * FROM provider_credentials').all()).rejects.toThrow()
    }
    finally {
      await close()
    }
  })
})

// Backups: a consistent copy of the SQLite database (VACUUM INTO, safe while the gateway serves), the
// registry files and a redacted copy of the effective configuration, in BACKUP_DIR/<timestamp>/;
// then retention pruning, and a copy to the S3 store when BACKUP_S3_* is set (s3-backup.ts).
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { consola } from 'consola'
import { config } from '../core/config'
import { errorMessage } from '../core/error-message'
import { database } from '../db'
import { REGISTRY_BACKUP_KEY, REGISTRY_KEY, registryStorage } from '../registry/store'
import { flushRequestLog } from '../store/request-log'
import { countUploadFailure, recordBackupSuccess } from './backup-metrics'
import { backupName, nameToDate } from './backup-names'
import { backupsToKeep } from './retention'
import type { UploadedBackup } from './s3-backup'

/** Configuration as in force, with every secret replaced by whether it is set. */
export function redactedConfig() {
  const c = config()
  const set = (v: string | undefined) => (v ? '(set)' : '(unset)')
  return {
    dataDir: c.dataDir,
    databaseUrl: c.databaseUrl ? c.databaseUrl.replace(/\/\/[^@]*@/, '//(credentials)@') : null,
    redisUrl: c.redisUrl ? c.redisUrl.replace(/\/\/[^@]*@/, '//(credentials)@') : null,
    adminApiKey: set(c.adminApiKey),
    encryptionKey: set(c.encryptionKey),
    secretKey: set(c.secretKey),
    providers: Object.fromEntries(Object.entries(c.providerEnv).map(([p, v]) => [p, { apiKey: set(v.apiKey), baseUrl: v.baseUrl ?? null }])),
    maxBodyBytes: c.maxBodyBytes,
    upstreamTimeoutMs: c.upstreamTimeoutMs,
    rateLimitPerMinute: c.rateLimitPerMinute,
    trustedProxyHops: c.trustedProxyHops,
    corsOrigins: c.corsOrigins,
    metricsToken: set(c.metricsToken),
    backupDir: c.backupDir,
    backupS3: c.backupS3 ? { ...c.backupS3, accessKeyId: set(c.backupS3.accessKeyId), secretAccessKey: set(c.backupS3.secretAccessKey) } : null,
    logLevel: c.logLevel,
  }
}

export interface BackupResult {
  name: string
  path: string
  files: Record<string, number>
  pruned: string[]
  /** Only when BACKUP_S3_* is set. */
  upload?: ({ ok: true } & UploadedBackup) | { ok: false, error: string }
}

export async function runBackup(now = new Date()): Promise<BackupResult> {
  // Rows still in the log buffer belong in the backup.
  await flushRequestLog()
  const { db, dialect } = await database()
  if (dialect.name !== 'sqlite') throw new Error('db:backup copies the embedded SQLite database; back up PostgreSQL with pg_dump')
  const name = backupName(now)
  const dir = join(config().backupDir, name)
  await mkdir(dir, { recursive: true })
  const dbFile = join(dir, 'gateway.db')
  await db.exec(`VACUUM INTO '${dbFile.replace(/'/g, '\'\'')}'`)
  const registry = registryStorage()
  for (const key of [REGISTRY_KEY, REGISTRY_BACKUP_KEY]) {
    const raw = await registry.getItemRaw(key)
    if (raw !== null && raw !== undefined) await writeFile(join(dir, key), raw as Buffer | string)
  }
  await writeFile(join(dir, 'config.redacted.json'), `${JSON.stringify(redactedConfig(), null, 2)}\n`)
  const files: Record<string, number> = {}
  for (const f of await readdir(dir)) files[f] = (await stat(join(dir, f))).size
  const result: BackupResult = { name, path: dir, files, pruned: await pruneBackups(now) }
  recordBackupSuccess()
  if (config().backupS3) result.upload = await uploadOffsite(dir, name, now)
  return result
}

/** Copies the backup to the S3 store. A failure is logged and counted; the local backup stays. */
async function uploadOffsite(dir: string, name: string, now: Date): Promise<BackupResult['upload']> {
  try {
    // Loaded only here: the S3 client is large and most installations do not use it.
    const { uploadBackup } = await import('./s3-backup')
    return { ok: true, ...(await uploadBackup(dir, name, now)) }
  }
  catch (error) {
    const message = errorMessage(error)
    consola.warn(`[backup] upload of ${name} to S3 failed, the local backup is kept: ${message}`)
    countUploadFailure()
    return { ok: false, error: message }
  }
}

export async function listBackups(): Promise<{ name: string, createdAt: string }[]> {
  const names = await readdir(config().backupDir).catch(() => [] as string[])
  return names.flatMap((n) => {
    const d = nameToDate(n)
    return d ? [{ name: n, createdAt: d.toISOString() }] : []
  }).sort((a, b) => b.name.localeCompare(a.name))
}

/** Deletes backups that retention does not keep; returns their names. */
export async function pruneBackups(now = new Date()): Promise<string[]> {
  const backups = (await listBackups()).map(b => ({ ...b, date: new Date(b.createdAt) })).filter(b => b.date <= now)
  const keep = backupsToKeep(backups.map(b => b.date))
  const pruned: string[] = []
  for (const b of backups) {
    if (keep.has(b.date.getTime())) continue
    await rm(join(config().backupDir, b.name), { recursive: true, force: true })
    pruned.push(b.name)
  }
  return pruned
}

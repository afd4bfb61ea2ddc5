// Backup metrics: when the last backup succeeded and how many off-site uploads failed. Registered in
// metrics.ts. The timestamp starts from the newest backup on disk, so a restart does not look like a
// missed backup.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Counter, Gauge } from 'prom-client'
import { config } from '../core/config'

/** Unix seconds; undefined until the first scrape reads the backup folder. */
let lastSuccess: number | undefined

const lastSuccessGauge = new Gauge({
  name: 'gateway_backup_last_success_timestamp_seconds',
  help: 'When the last backup succeeded (Unix time); 0 when there is none',
  registers: [],
  async collect() {
    lastSuccess ??= await newestLocalBackup()
    this.set(lastSuccess)
  },
})

const uploadFailures = new Counter({
  name: 'gateway_backup_upload_failures_total',
  help: 'Backups whose copy to the off-site (S3) store failed; the local backup is kept',
  registers: [],
})

/** The metrics to register: none on PostgreSQL, which is backed up with pg_dump, not by the gateway. */
export const backupMetrics = () => (config().databaseUrl ? [] : [lastSuccessGauge, uploadFailures])

export function recordBackupSuccess(at = new Date()): void {
  lastSuccess = at.getTime() / 1000
}

export function countUploadFailure(): void {
  uploadFailures.inc()
}

/** When the newest backup's database was written (Unix seconds), or 0. */
async function newestLocalBackup(): Promise<number> {
  const dir = config().backupDir
  const names = await readdir(dir).catch(() => [] as string[])
  const written = await Promise.all(names.map(n => stat(join(dir, n, 'gateway.db')).then(s => s.mtimeMs / 1000, () => 0)))
  return Math.max(0, ...written)
}

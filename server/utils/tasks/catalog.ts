// The gateway's Nitro tasks and their schedules. Schedules are read from the environment at start (not
// baked into the build), so an operator changes one without rebuilding; "off" disables it.
export interface TaskInfo {
  name: string
  description: string
  /** Cron expression (UTC), or null when the task runs only on demand. */
  schedule: string | null
}

const cron = (envName: string, fallback: string) => {
  const value = process.env[envName]?.trim()
  if (value === 'off') return null
  return value || fallback
}

export function taskCatalog(): TaskInfo[] {
  return [
    { name: 'registry:update', description: 'Update model prices from the providers\' pricing pages', schedule: cron('REGISTRY_CRON', '0 3 * * *') },
    { name: 'db:backup', description: 'Back up the database and registry, then prune old backups', schedule: cron('BACKUP_CRON', '0 0 * * *') },
    { name: 'db:migrate', description: 'Apply pending database migrations', schedule: null },
  ]
}

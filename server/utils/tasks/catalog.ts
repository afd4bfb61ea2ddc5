// The gateway's Nitro tasks and their schedules. Schedules are read from the environment at start (not
// baked into the build), so an operator changes one without rebuilding; "off" disables it.
import { config } from '../core/config'

export interface TaskInfo {
  name: string
  description: string
  /** Cron expression (UTC), or null when the task runs only on demand. */
  schedule: string | null
}

export function taskCatalog(): TaskInfo[] {
  return [
    { name: 'registry:update', description: 'Update model prices from the providers\' pricing pages', schedule: config().schedules.registryUpdate },
    { name: 'db:backup', description: 'Back up the database and registry, then prune old backups', schedule: config().schedules.backup },
    { name: 'db:migrate', description: 'Apply pending database migrations', schedule: null },
    // Hourly, so that a response outlives its RESPONSES_TTL_DAYS by an hour at most.
    { name: 'responses:expire', description: 'Delete stored responses and idle conversations older than RESPONSES_TTL_DAYS', schedule: config().responsesTtlDays > 0 ? '17 * * * *' : null },
  ]
}

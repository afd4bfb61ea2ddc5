// Nitro task db:backup: a backup of the database and registry, then pruning of the old ones (utils/ops/backup.ts).
import { defineTask } from 'nitropack/runtime'
import { runBackup } from '../../utils/ops/backup'

export default defineTask({
  meta: { name: 'db:backup', description: 'Back up the database and registry, then prune old backups' },
  async run() {
    return { result: await runBackup() }
  },
})

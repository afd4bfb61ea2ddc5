import { runBackup } from '../../utils/ops/backup'

export default defineTask({
  meta: { name: 'db:backup', description: 'Back up the database and registry, then prune old backups' },
  async run() {
    return { result: await runBackup() }
  },
})

// Nitro task db:migrate: applies the database migrations not yet applied.
import { defineTask } from 'nitropack/runtime'
import { database, migrate } from '../../utils/db'

export default defineTask({
  meta: { name: 'db:migrate', description: 'Apply pending database migrations' },
  async run() {
    const applied = await migrate(await database())
    return { result: { applied } }
  },
})

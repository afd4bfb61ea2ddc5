// Runs scheduled tasks (see utils/tasks/catalog.ts) with croner, in UTC. Nitro's own scheduledTasks
// are fixed at build time; these schedules come from the environment at start.
import { Cron } from 'croner'
import { consola } from 'consola'
import { runTask } from 'nitropack/runtime'
import { taskCatalog } from '../utils/tasks/catalog'

export default defineNitroPlugin((nitroApp) => {
  const jobs: Cron[] = []
  for (const task of taskCatalog()) {
    if (!task.schedule) continue
    jobs.push(new Cron(task.schedule, { timezone: 'UTC', protect: true, name: task.name }, async () => {
      try {
        await runTask(task.name, { payload: { scheduled: true } })
      }
      catch (error) {
        consola.warn(`[tasks] scheduled ${task.name} failed:`, error instanceof Error ? error.message : error)
      }
    }))
  }
  nitroApp.hooks.hook('close', () => { for (const job of jobs) job.stop() })
})

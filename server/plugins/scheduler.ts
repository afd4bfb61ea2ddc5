// Runs scheduled tasks (see utils/tasks/catalog.ts) with croner, in UTC. Nitro's own scheduledTasks
// are fixed at build time; these schedules come from the environment at start. With several
// instances on one Redis, each scheduled run is claimed by exactly one of them.
import { Cron } from 'croner'
import { consola } from 'consola'
import { defineNitroPlugin, runTask } from 'nitropack/runtime'
import { startGateway } from '../utils/app/lifecycle'
import { errorMessage } from '../utils/core/error-message'
import { claimOnce } from '../utils/shared/once'
import { taskCatalog } from '../utils/tasks/catalog'

const CLAIM_TTL_MS = 60 * 60_000

export default defineNitroPlugin((nitroApp) => {
  const jobs: Cron[] = []
  for (const task of taskCatalog()) {
    if (!task.schedule) continue
    jobs.push(new Cron(task.schedule, { timezone: 'UTC', protect: true, name: task.name }, async (self: Cron) => {
      try {
        await startGateway()
        const slot = (self.currentRun() ?? new Date()).toISOString()
        if (!(await claimOnce(`task:${task.name}:${slot}`, CLAIM_TTL_MS))) return
        await runTask(task.name, { payload: { scheduled: true } })
      }
      catch (error) {
        consola.warn(`[tasks] scheduled ${task.name} failed:`, errorMessage(error))
      }
    }))
  }
  nitroApp.hooks.hook('close', () => { for (const job of jobs) job.stop() })
})

// Work that outlives its request: a background response runs in this process after its request was
// answered. Each job can be stopped by its id (a cancel, made here or on another instance and told
// through the broadcast), and at shutdown the jobs are waited for until a deadline, then stopped.
// A stopped job's upstream call is aborted through its ClientClose, as for a client that went away.
import { consola } from 'consola'
import { errorMessage } from '../core/error-message'
import { ClientClose } from './client-close'

/** Why a job was stopped before it finished. */
export type StopReason = 'cancelled' | 'shutdown'

export class BackgroundJob {
  /** Closed when the job is stopped: the upstream call in progress stops with a ClientClosedError. */
  readonly close = new ClientClose()
  stopReason: StopReason | undefined

  stop(reason: StopReason): void {
    this.stopReason ??= reason
    this.close.close()
  }
}

const jobs = new Map<string, { job: BackgroundJob, done: Promise<void> }>()

/** Runs `work` now, known by `id` until it ends; it records its own outcome (a failure here is only logged). */
export function startJob(id: string, work: (job: BackgroundJob) => Promise<void>): void {
  const job = new BackgroundJob()
  const done = work(job)
    .catch(error => consola.error(`[background] ${id} failed:`, errorMessage(error)))
    .finally(() => jobs.delete(id))
  jobs.set(id, { job, done })
}

/** Stops the job `id` if it runs here; returns whether it did. */
export function stopJob(id: string, reason: StopReason): boolean {
  const found = jobs.get(id)
  found?.job.stop(reason)
  return found !== undefined
}

/** Resolves when the job `id` has ended (at once when it does not run here). */
export async function jobEnded(id: string): Promise<void> {
  await jobs.get(id)?.done
}

/**
 * Shutdown: waits for the jobs until `deadline` (epoch ms), then stops those left, which record
 * themselves as failed, and waits for them to have done so. Returns how many were stopped.
 */
export async function drainJobs(deadline: number): Promise<number> {
  const all = () => Promise.all([...jobs.values()].map(j => j.done))
  let timer: NodeJS.Timeout | undefined
  await Promise.race([all(), new Promise<void>((resolve) => { timer = setTimeout(resolve, Math.max(0, deadline - Date.now())) })])
  clearTimeout(timer)
  const left = [...jobs.values()]
  for (const { job } of left) job.stop('shutdown')
  await all()
  return left.length
}

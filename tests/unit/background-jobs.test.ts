// Work that outlives its request (server/utils/gateway/background.ts): a job is known by its id
// while it runs, stopped by id (its ClientClose closes, which aborts its upstream call) with the
// reason it records, and at shutdown waited for until a deadline, then stopped. The deadlines here
// are already past or never reached: nothing waits on the clock.
import { describe, expect, it } from 'vitest'
import { type BackgroundJob, drainJobs, jobEnded, startJob, stopJob } from '../../server/utils/gateway/background'

/** A job that runs until it is stopped, and records why. */
function untilStopped(id: string, outcome: string[]) {
  startJob(id, (job: BackgroundJob) => new Promise<void>((resolve) => {
    job.close.listen(() => {
      outcome.push(`${id}:${job.stopReason}`)
      resolve()
    })
  }))
}

describe('background jobs', () => {
  it('stops a job by its id with its reason, once; an unknown or ended one is not found', async () => {
    const outcome: string[] = []
    untilStopped('resp_1', outcome)
    expect(stopJob('resp_1', 'cancelled')).toBe(true)
    await jobEnded('resp_1')
    expect(outcome).toEqual(['resp_1:cancelled'])
    expect(stopJob('resp_1', 'cancelled')).toBe(false)
    expect(stopJob('resp_unknown', 'cancelled')).toBe(false)
  })

  it('at shutdown waits for jobs that end, then stops those left past the deadline as shut down', async () => {
    const outcome: string[] = []
    let finish!: () => void
    startJob('resp_quick', () => new Promise<void>((resolve) => { finish = resolve }))
    untilStopped('resp_long', outcome)
    finish()
    // The deadline has passed: what is still running is stopped at once and waited for.
    expect(await drainJobs(Date.now() - 1)).toBe(1)
    expect(outcome).toEqual(['resp_long:shutdown'])
    expect(await drainJobs(Date.now() + 60_000)).toBe(0)
  })

  it('keeps running the others when one job fails', async () => {
    const outcome: string[] = []
    startJob('resp_bad', async () => { throw new Error('boom') })
    untilStopped('resp_ok', outcome)
    await jobEnded('resp_bad')
    expect(stopJob('resp_ok', 'cancelled')).toBe(true)
    await jobEnded('resp_ok')
    expect(outcome).toEqual(['resp_ok:cancelled'])
  })
})

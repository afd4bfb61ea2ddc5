// Which backups to keep: the newest of each of the last 7 days that have one, of the last 4 Sundays,
// and of the last 12 first-of-the-months (UTC). Pure, so it is tested on made-up dates.
import { utcDay } from '../../../shared/utils/utc-day'

export const RETENTION = { daily: 7, weekly: 4, monthly: 12 }

const day = (d: Date) => utcDay(d.getTime())

function newestPer(dates: Date[], bucket: (d: Date) => string | undefined, count: number): Date[] {
  const newest = new Map<string, Date>()
  for (const d of [...dates].sort((a, b) => b.getTime() - a.getTime())) {
    const b = bucket(d)
    if (b && !newest.has(b)) newest.set(b, d)
  }
  return [...newest.values()].slice(0, count)
}

export function backupsToKeep(dates: Date[], retention = RETENTION): Set<number> {
  const keep = [
    ...newestPer(dates, day, retention.daily),
    ...newestPer(dates, d => (d.getUTCDay() === 0 ? day(d) : undefined), retention.weekly),
    ...newestPer(dates, d => (d.getUTCDate() === 1 ? day(d) : undefined), retention.monthly),
  ]
  return new Set(keep.map(d => d.getTime()))
}

// UTC calendar days as YYYY-MM-DD: usage is rolled up, budgeted and charted per UTC day, on the server
// and in the dashboard alike.
export const DAY_MS = 86_400_000

/** The UTC day of an instant (epoch ms). */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** The last `days` UTC days, today included, as an inclusive range. */
export function lastUtcDays(days: number, now = Date.now()): { from: string, to: string } {
  return { from: utcDay(now - (days - 1) * DAY_MS), to: utcDay(now) }
}

/** Every UTC day from `from` to `to` (inclusive), at most `max` of them. */
export function utcDaysBetween(from: string, to: string, max = 366): string[] {
  const days: string[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`); days.length < max && utcDay(t) <= to; t += DAY_MS) days.push(utcDay(t))
  return days
}

// Usage is rolled up per UTC day: a range of the last `days` UTC days, today included.
const DAY_MS = 86_400_000
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export function dayRange(days: number): { from: string, to: string } {
  const now = Date.now()
  return { from: utcDay(now - (days - 1) * DAY_MS), to: utcDay(now) }
}

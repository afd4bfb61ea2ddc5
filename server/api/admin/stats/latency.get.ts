import { adminQuery, defineAdminHandler } from '../../../utils/admin/handler'
import { DayRange, latencyPercentiles } from '../../../utils/admin/stats'

// p50/p95/p99 latency (ms, whole request) of the successful requests between two UTC days.
export default defineAdminHandler(async (event) => {
  const { from, to } = adminQuery(event, DayRange)
  return { from, to, ...(await latencyPercentiles(from, to)) }
})

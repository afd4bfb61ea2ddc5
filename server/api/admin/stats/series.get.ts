import { z } from 'zod'
import { adminQuery, defineAdminHandler } from '../../../utils/admin/handler'
import { DayRange, SERIES_GROUPS, type SeriesGroup, usageSeries } from '../../../utils/admin/stats'

const Query = z.intersection(DayRange, z.object({ by: z.enum(Object.keys(SERIES_GROUPS) as [SeriesGroup]).default('provider') }))

// Requests, errors, tokens and cost per UTC day for each provider or model: the overview's charts.
export default defineAdminHandler(async (event) => {
  const { from, to, by } = adminQuery(event, Query)
  return { from, to, by, ...(await usageSeries(from, to, by)) }
})

import { z } from 'zod'
import { adminQuery, defineAdminHandler } from '../../utils/admin/handler'
import { USAGE_GROUPS, usageBetween } from '../../utils/store/request-log'
import { lastUtcDays } from '../../../shared/utils/utc-day'
import { nanoToUsd } from '../../utils/core/money'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date (YYYY-MM-DD or ISO 8601)').transform(s => s.slice(0, 10))

const Query = z.object({
  from: day.optional(),
  to: day.optional(),
  groupBy: z.enum(Object.keys(USAGE_GROUPS) as [keyof typeof USAGE_GROUPS]).default('day'),
})

export default defineAdminHandler(async (event) => {
  const q = adminQuery(event, Query)
  const last30 = lastUtcDays(30)
  const from = q.from ?? last30.from
  const to = q.to ?? last30.to
  const data = await usageBetween(from, to, q.groupBy)
  const totals = data.reduce((t, r) => ({
    requests: t.requests + r.requests,
    promptTokens: t.promptTokens + r.promptTokens,
    cachedTokens: t.cachedTokens + r.cachedTokens,
    completionTokens: t.completionTokens + r.completionTokens,
    costNanoUsd: t.costNanoUsd + r.costNanoUsd,
  }), { requests: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, costNanoUsd: 0 })
  return { from, to, groupBy: q.groupBy, data, totals: { ...totals, costUsd: nanoToUsd(totals.costNanoUsd) } }
})

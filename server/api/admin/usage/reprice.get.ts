// GET /api/admin/usage/reprice?from&to&version=: what a period's requests would have cost at another
// registry version, per model. The versions kept are the one in force and the rollback target
// (models.json.bak); `version` defaults to the rollback target.
import { z } from 'zod'
import { adminQuery, defineAdminHandler } from '../../../utils/admin/handler'
import { GatewayError } from '../../../utils/core/errors'
import { repriceBetween } from '../../../utils/registry/reprice'
import { keptRegistryVersions } from '../../../utils/registry/store'
import { DAY_MS, lastUtcDays } from '../../../../shared/utils/utc-day'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a UTC day (YYYY-MM-DD)')

const Query = z.object({
  from: day.optional(),
  to: day.optional(),
  version: z.coerce.number().int().nonnegative().optional(),
})

export default defineAdminHandler(async (event) => {
  const q = adminQuery(event, Query)
  const last30 = lastUtcDays(30)
  const from = q.from ?? last30.from
  const to = q.to ?? last30.to
  const kept = await keptRegistryVersions()
  const target = q.version === undefined ? kept.backup ?? kept.current : [kept.current, kept.backup].find(r => r?.version === q.version)
  if (!target) {
    const versions = [kept.current, kept.backup].flatMap(r => (r ? [r.version] : [])).join(' and ')
    throw new GatewayError(404, `Registry version ${q.version} is not kept; the versions kept are ${versions}.`, 'invalid_request_error', 'version_not_found', 'version')
  }
  const report = await repriceBetween(Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + DAY_MS, target)
  const totals = report.data.reduce((t, r) => ({ requests: t.requests + r.requests, billedNanoUsd: t.billedNanoUsd + r.billedNanoUsd, repricedNanoUsd: t.repricedNanoUsd + (r.repricedNanoUsd ?? 0) }), { requests: 0, billedNanoUsd: 0, repricedNanoUsd: 0 })
  return { from, to, ...report, totals }
})

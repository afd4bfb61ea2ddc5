import { z } from 'zod'
import { adminQuery, defineAdminHandler } from '../../utils/admin/handler'
import { GatewayError } from '../../utils/core/errors'
import { listRequests } from '../../utils/store/request-log'

/** ISO 8601 or epoch milliseconds. */
const time = z.union([z.coerce.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform(s => Date.parse(s))])

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
  keyId: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  status: z.union([z.enum(['ok', 'error']), z.coerce.number().int().min(100).max(599)]).optional(),
  from: time.optional(),
  to: time.optional(),
})

export default defineAdminHandler(async (event) => {
  try {
    return await listRequests(adminQuery(event, Query))
  }
  catch (error) {
    if (error instanceof RangeError) throw new GatewayError(400, 'The cursor is not valid.', 'invalid_request_error', 'invalid_cursor', 'cursor')
    throw error
  }
})

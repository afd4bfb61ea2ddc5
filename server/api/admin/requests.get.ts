import { z } from 'zod'
import { adminQuery, defineAdminHandler } from '../../utils/admin/handler'
import { GatewayError } from '../../utils/gateway/errors'
import { listRequests } from '../../utils/store/request-log'

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
  keyId: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
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

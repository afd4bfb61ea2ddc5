import { defineAuthHandler } from '../../utils/admin/auth-handler'
import { endSession } from '../../utils/admin/session'

// Signs out: the cookie is removed and every session of this administrator ends, here and elsewhere.
export default defineAuthHandler(async (event) => {
  await endSession(event)
  return { ok: true }
})

import { adminView } from '../../utils/admin/accounts'
import { defineAuthHandler } from '../../utils/admin/auth-handler'
import { sessionAdmin } from '../../utils/admin/session'

// Anonymous visitors get `{user: null}` (not 401): the dashboard asks this on every start.
export default defineAuthHandler(async (event) => {
  const admin = await sessionAdmin(event)
  return { user: admin ? adminView(admin) : null }
})

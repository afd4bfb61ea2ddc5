import { AdminCredentials, adminView, createAdmin } from '../../utils/admin/accounts'
import { defineAuthHandler } from '../../utils/admin/auth-handler'
import { adminBody, created } from '../../utils/admin/handler'
import { startSession } from '../../utils/admin/session'

// Creates the first administrator and signs them in; refused (409) once any administrator exists.
export default defineAuthHandler(async (event) => {
  const input = await adminBody(event, AdminCredentials, 'auth')
  const admin = await createAdmin(input, { onlyIfNone: true })
  await startSession(event, admin)
  return created(event, { user: adminView(admin) })
})

import { AdminCredentials, adminView, createAdmin } from '../../../utils/admin/accounts'
import { adminBody, created, defineAdminHandler } from '../../../utils/admin/handler'

export default defineAdminHandler(async (event) => {
  const admin = await createAdmin(await adminBody(event, AdminCredentials))
  return created(event, adminView(admin))
})

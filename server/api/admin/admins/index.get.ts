import { adminView, listAdmins } from '../../../utils/admin/accounts'
import { defineAdminHandler } from '../../../utils/admin/handler'

export default defineAdminHandler(async () => ({ data: (await listAdmins()).map(adminView) }))

import { defineAdminHandler } from '../../../utils/admin/handler'
import { providerStatus } from '../../../utils/gateway/connections'

export default defineAdminHandler(() => ({ data: providerStatus() }))

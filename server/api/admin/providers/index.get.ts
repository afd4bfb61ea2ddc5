import { defineAdminHandler } from '../../../utils/admin/handler'
import { providerStatus } from '../../../utils/gateway/credentials'

export default defineAdminHandler(() => ({ data: providerStatus() }))

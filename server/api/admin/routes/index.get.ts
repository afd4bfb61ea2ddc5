import { defineAdminHandler } from '../../../utils/admin/handler'
import { allRoutes } from '../../../utils/gateway/routes'

export default defineAdminHandler(() => ({ data: allRoutes() }))

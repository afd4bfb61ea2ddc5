import { defineAdminHandler } from '../../../utils/admin/handler'
import { taskCatalog } from '../../../utils/tasks/catalog'

export default defineAdminHandler(() => ({ data: taskCatalog() }))

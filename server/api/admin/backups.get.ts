import { defineAdminHandler } from '../../utils/admin/handler'
import { listBackups } from '../../utils/ops/backup'

export default defineAdminHandler(async () => ({ data: await listBackups() }))

import { runTask } from 'nitropack/runtime'
import { defineAdminHandler } from '../../utils/admin/handler'

export default defineAdminHandler(async () => (await runTask('registry:update', { payload: { trigger: 'admin' } })).result)

import { deleteAdmin } from '../../../utils/admin/accounts'
import { defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'

// Removing an administrator ends their sessions at once (sessions are checked against the table).
export default defineAdminHandler(async (event) => {
  const id = routeParam(event, 'id')
  if (!(await deleteAdmin(id))) throw notFound('Administrator')
  return { id, deleted: true }
})

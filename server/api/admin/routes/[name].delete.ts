import { defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { reloadRoutes } from '../../../utils/gateway/routes'
import { deleteRoute } from '../../../utils/store/routes'

export default defineAdminHandler(async (event) => {
  const name = routeParam(event, 'name')
  if (!(await deleteRoute(name))) throw notFound('Stored route')
  await reloadRoutes()
  return { deleted: name }
})

import { defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { routesChanged } from '../../../utils/gateway/routes'
import { deleteRoute } from '../../../utils/store/routes'

export default defineAdminHandler(async (event) => {
  const name = routeParam(event, 'name')
  if (!(await deleteRoute(name))) throw notFound('Stored route')
  await routesChanged()
  return { deleted: name }
})

import { defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { providerParam } from '../../../utils/admin/providers'
import { connectionsChanged, isOfficial, providerStatus } from '../../../utils/gateway/connections'
import { deleteConnection } from '../../../utils/store/connections'

// Removes a stored connection. Its registry models stay (with their prices) but answer 404 until it is added again.
export default defineAdminHandler(async (event) => {
  const name = providerParam(routeParam(event, 'provider'))
  if (!(await deleteConnection(name))) throw notFound(isOfficial(name) ? 'Stored credential' : 'Connection')
  await connectionsChanged()
  // For an official provider the environment's credential, if any, applies again.
  return providerStatus().find(p => p.provider === name) ?? { provider: name, deleted: true }
})

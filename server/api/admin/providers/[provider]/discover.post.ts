import { defineAdminHandler, routeParam } from '../../../../utils/admin/handler'
import { discoverModels } from '../../../../utils/admin/discover'
import { providerParam, unknownProvider } from '../../../../utils/admin/providers'
import { isOfficial, providerAccess } from '../../../../utils/gateway/connections'
import { GatewayError } from '../../../../utils/core/errors'

// Reads the connection's model list and adds the models it finds to the registry as `connection/model`.
export default defineAdminHandler(async (event) => {
  const name = providerParam(routeParam(event, 'provider'))
  if (isOfficial(name)) {
    throw new GatewayError(409, `${name}'s models and prices come from its pricing page (POST /api/admin/update-registry).`, 'invalid_request_error', 'official_provider')
  }
  const access = providerAccess(name)
  if (!access) throw unknownProvider(name)
  return discoverModels(access)
})

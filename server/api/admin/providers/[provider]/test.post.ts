import { defineAdminHandler, routeParam } from '../../../../utils/admin/handler'
import { testConnection } from '../../../../utils/admin/provider-test'
import { providerParam, unknownProvider } from '../../../../utils/admin/providers'
import { isOfficial, providerAccess } from '../../../../utils/gateway/connections'
import { GatewayError } from '../../../../utils/core/errors'

// Calls the connection's model list with the credential in force and reports ok, status and latency.
export default defineAdminHandler(async (event) => {
  const name = providerParam(routeParam(event, 'provider'))
  const access = providerAccess(name)
  if (!access && !isOfficial(name)) throw unknownProvider(name)
  if (!access) throw new GatewayError(409, `No credential is configured for ${name}.`, 'invalid_request_error', 'provider_not_configured')
  return testConnection(access)
})

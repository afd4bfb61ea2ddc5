import { defineAdminHandler, routeParam } from '../../../../utils/admin/handler'
import { testConnection } from '../../../../utils/admin/provider-test'
import { providerParam } from '../../../../utils/admin/providers'
import { providerAccess } from '../../../../utils/gateway/credentials'
import { GatewayError } from '../../../../utils/core/errors'

// Calls the provider's model list with the credential in force and reports ok, status and latency.
export default defineAdminHandler(async (event) => {
  const provider = providerParam(routeParam(event, 'provider'))
  const access = providerAccess(provider)
  if (!access) throw new GatewayError(409, `No credential is configured for ${provider}.`, 'invalid_request_error', 'provider_not_configured')
  return testConnection(access)
})

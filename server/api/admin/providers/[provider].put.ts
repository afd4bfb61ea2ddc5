import { adminBody, defineAdminHandler, routeParam } from '../../../utils/admin/handler'
import { ConnectionBody, connectionInput, providerParam } from '../../../utils/admin/providers'
import { connectionsChanged, providerStatus } from '../../../utils/gateway/connections'
import { saveConnection } from '../../../utils/store/connections'

// Creates or replaces a connection: `{type, baseUrl?, apiKey?, headers?, preset?}` (the official providers: `{apiKey, baseUrl?}`).
export default defineAdminHandler(async (event) => {
  const name = providerParam(routeParam(event, 'provider'))
  const input = connectionInput(name, await adminBody(event, ConnectionBody))
  await saveConnection(input)
  await connectionsChanged()
  return providerStatus().find(p => p.provider === name)
})

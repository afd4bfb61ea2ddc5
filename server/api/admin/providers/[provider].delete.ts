import { defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { providerParam } from '../../../utils/admin/providers'
import { providerStatus, credentialsChanged } from '../../../utils/gateway/credentials'
import { deleteCredential } from '../../../utils/store/credentials'

export default defineAdminHandler(async (event) => {
  const provider = providerParam(routeParam(event, 'provider'))
  if (!(await deleteCredential(provider))) throw notFound('Stored credential')
  await credentialsChanged()
  // The environment's credential, if any, applies again.
  return providerStatus().find(p => p.provider === provider)
})

import { adminBody, defineAdminHandler, routeParam } from '../../../utils/admin/handler'
import { ProviderCredentialInput, providerParam } from '../../../utils/admin/providers'
import { providerStatus, credentialsChanged } from '../../../utils/gateway/credentials'
import { saveCredential } from '../../../utils/store/credentials'

export default defineAdminHandler(async (event) => {
  const provider = providerParam(routeParam(event, 'provider'))
  const input = await adminBody(event, ProviderCredentialInput)
  await saveCredential(provider, input.apiKey, input.baseUrl ?? null)
  await credentialsChanged()
  return providerStatus().find(p => p.provider === provider)
})

import { defineAdminHandler } from '../../../utils/admin/handler'
import { GatewayError } from '../../../utils/core/errors'
import { rollbackRegistry } from '../../../utils/registry/update'

export default defineAdminHandler(async () => {
  const result = await rollbackRegistry()
  if (!result) throw new GatewayError(409, 'There is no models.json.bak to roll back to.', 'invalid_request_error', 'no_backup')
  return result
})

import { defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { keyView } from '../../../utils/admin/keys'
import { keyChanged } from '../../../utils/gateway/auth'
import { revokeKey } from '../../../utils/store/keys'

export default defineAdminHandler(async (event) => {
  const key = await revokeKey(routeParam(event, 'id'))
  if (!key) throw notFound('Key')
  keyChanged(key.id)
  return keyView(key)
})

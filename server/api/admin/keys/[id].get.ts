import { defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { keyView } from '../../../utils/admin/keys'
import { flushRequestLog } from '../../../utils/store/request-log'
import { getKey } from '../../../utils/store/keys'

export default defineAdminHandler(async (event) => {
  await flushRequestLog()
  const key = await getKey(routeParam(event, 'id'))
  if (!key) throw notFound('Key')
  return keyView(key)
})

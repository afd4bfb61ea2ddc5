import { adminBody, defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { keyView } from '../../../utils/admin/keys'
import { keyChanged } from '../../../utils/gateway/auth'
import { flushRequestLog } from '../../../utils/store/request-log'
import { updateKey, UpdateKeyInput } from '../../../utils/store/keys'

export default defineAdminHandler(async (event) => {
  const patch = await adminBody(event, UpdateKeyInput)
  // Spend still in the log buffer must reach the row before the cache entry is dropped.
  await flushRequestLog()
  const key = await updateKey(routeParam(event, 'id'), patch)
  if (!key) throw notFound('Key')
  keyChanged(key.id)
  return keyView(key)
})

import { defineAdminHandler } from '../../../utils/admin/handler'
import { keyView } from '../../../utils/admin/keys'
import { flushRequestLog } from '../../../utils/store/request-log'
import { listKeys } from '../../../utils/store/keys'

export default defineAdminHandler(async () => {
  await flushRequestLog()
  return { data: (await listKeys()).map(keyView) }
})

import { adminBody, created, defineAdminHandler } from '../../../utils/admin/handler'
import { keyView } from '../../../utils/admin/keys'
import { createKey, CreateKeyInput } from '../../../utils/store/keys'

export default defineAdminHandler(async (event) => {
  const input = await adminBody(event, CreateKeyInput)
  const { key, secret } = await createKey(input)
  // The secret is shown here once and never again.
  return created(event, { ...keyView(key), key: secret })
})

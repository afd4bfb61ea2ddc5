import { countAdmins } from '../../utils/admin/accounts'
import { defineAuthHandler } from '../../utils/admin/auth-handler'

// Whether the one-time setup (creating the first administrator) is still open.
export default defineAuthHandler(async () => ({ required: (await countAdmins()) === 0 }))

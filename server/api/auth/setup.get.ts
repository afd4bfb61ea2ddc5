import { defineAuthHandler } from '../../utils/admin/auth-handler'
import { setupOpen } from '../../utils/admin/setup'

// Whether the one-time set-up (creating the first administrator) is still open.
export default defineAuthHandler(async () => ({ required: await setupOpen() }))

import { z } from 'zod'
import { adminBody } from '../../utils/admin/handler'
import { adminView, findAdminForLogin, recordLogin } from '../../utils/admin/accounts'
import { defineAuthHandler } from '../../utils/admin/auth-handler'
import { loginSucceeded, reserveLoginAttempt } from '../../utils/admin/login-limiter'
import { decoyHash, verifyPassword } from '../../utils/admin/passwords'
import { startSession } from '../../utils/admin/session'
import { GatewayError } from '../../utils/core/errors'
import { clientIp } from '../../utils/ops/client-ip'

const Body = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(256) }).strict()

export default defineAuthHandler(async (event) => {
  const { email, password } = await adminBody(event, Body, 'auth')
  // Counted before the password is checked: a failure keeps its slot.
  const attempt = await reserveLoginAttempt(clientIp(event.node.req), email)
  const found = await attempt.check(async () => {
    const account = await findAdminForLogin(email)
    // An unknown email costs the same scrypt run as a wrong password.
    const valid = await verifyPassword(password, account?.passwordHash ?? await decoyHash())
    return valid ? account : undefined
  })
  if (!found) throw new GatewayError(401, 'Invalid email or password.', 'authentication_error', 'invalid_credentials')
  await loginSucceeded(attempt, email)
  await recordLogin(found.account.id)
  await startSession(event, found.account)
  return { user: adminView(found.account) }
})

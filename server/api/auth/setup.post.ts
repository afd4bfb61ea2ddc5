import { z } from 'zod'
import { AdminCredentials, adminView, createAdmin } from '../../utils/admin/accounts'
import { defineAuthHandler } from '../../utils/admin/auth-handler'
import { adminBody, created } from '../../utils/admin/handler'
import { bearerToken } from '../../utils/core/bearer-token'
import { startSession } from '../../utils/admin/session'
import { assertSetupOpen, isSetupProof, revokeSetupToken, setupAttempts } from '../../utils/admin/setup'
import { GatewayError } from '../../utils/core/errors'
import { clientIp } from '../../utils/ops/client-ip'

const SetupBody = AdminCredentials.extend({ token: z.string().trim().min(1).max(512).optional() })

// Creates the first administrator and signs them in. Needs the set-up token printed at start, or the
// admin API key (as the `token` field or a bearer token); refused (409) once any administrator exists
// or while ADMIN_EMAIL/ADMIN_PASSWORD configure one.
export default defineAuthHandler(async (event) => {
  const { token, ...credentials } = await adminBody(event, SetupBody, 'auth')
  await assertSetupOpen()
  const proof = bearerToken(event) ?? token
  if (!proof) {
    throw new GatewayError(401, 'Creating the first administrator needs the set-up token printed in the gateway\'s log at start (or the admin API key): send it as "token".', 'authentication_error', 'setup_token_required')
  }
  const attempt = await setupAttempts.reserve([`ip:${clientIp(event.node.req)}`])
  if (!isSetupProof(proof)) {
    throw new GatewayError(401, 'Invalid set-up token: use the one printed in the gateway\'s log at its latest start, or the admin API key.', 'authentication_error', 'invalid_setup_token')
  }
  const admin = await attempt.check(() => createAdmin(credentials, { onlyIfNone: true }))
  revokeSetupToken()
  await attempt.refund()
  await startSession(event, admin)
  return created(event, { user: adminView(admin) })
})

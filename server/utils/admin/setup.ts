// The one-time set-up of the first dashboard administrator (/setup). It needs proof of owning the
// gateway: the admin API key, or the set-up token printed in the log at start (like the generated
// admin key). Only the token's digest is kept, in this process's memory: each start while set-up is
// open prints a new one, valid on this instance until an administrator exists. Set-up is closed once
// any administrator exists, and never open while ADMIN_EMAIL and ADMIN_PASSWORD configure one.
import { config } from '../core/config'
import { randomToken, safeEqual, sha256Hex } from '../core/crypto'
import { secrets } from '../core/secrets'
import { GatewayError } from '../core/errors'
import { countAdmins, ensureBootstrapAdmin } from './accounts'
import { attemptLimiter, GUESS_WINDOW_MS, MAX_GUESSES } from './attempt-limiter'

let tokenDigest: string | undefined

const configuredByEnv = () => Boolean(config().adminEmail && config().adminPassword)

/** Whether the first administrator may still be created through /setup. */
export async function setupOpen(): Promise<boolean> {
  return !configuredByEnv() && (await countAdmins()) === 0
}

/** At start: creates the administrator from the environment, or issues a set-up token while set-up is open. */
export async function issueSetupToken(): Promise<string | undefined> {
  await ensureBootstrapAdmin()
  if (!(await setupOpen())) return undefined
  const token = `gw-setup-${randomToken(24)}`
  tokenDigest = sha256Hex(token)
  return token
}

export async function assertSetupOpen(): Promise<void> {
  if (configuredByEnv()) {
    throw new GatewayError(409, 'Set-up is closed: ADMIN_EMAIL and ADMIN_PASSWORD configure the first administrator on this gateway (sign in with them).', 'invalid_request_error', 'setup_closed')
  }
  if ((await countAdmins()) > 0) {
    throw new GatewayError(409, 'Set-up is closed: an administrator already exists (sign in, or ask one to add you).', 'invalid_request_error', 'setup_closed')
  }
}

/** The set-up token of this start, or the admin API key; compared in constant time. */
export function isSetupProof(token: string): boolean {
  const tokenMatches = tokenDigest !== undefined && safeEqual(sha256Hex(token), tokenDigest)
  return secrets().isAdminKey(token) || tokenMatches
}

/** Set-up is done: the token stops working. */
export function revokeSetupToken(): void {
  tokenDigest = undefined
}

/** Wrong tokens are throttled per client IP like failed sign-ins. */
export const setupAttempts = attemptLimiter({ scope: 'setup-failures', max: MAX_GUESSES, windowMs: GUESS_WINDOW_MS, noun: 'set-up', code: 'too_many_setup_attempts' })

// Sign-in throttling: at most MAX_FAILURES failed attempts per client IP and per email in a
// WINDOW_MS window; past that every attempt for that IP or email is refused (429) until the window
// ends. Counted in memory, or in Redis so that several instances share the count.
import { GatewayError } from '../gateway/errors'
import { windowCounter } from '../ops/fixed-window'

const MAX_FAILURES = 10
const WINDOW_MS = 15 * 60_000

const failures = windowCounter('login-failures', WINDOW_MS)

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`
const keysFor = (ip: string, email: string) => [`ip:${ip}`, emailKey(email)]

/** Throws 429 (with Retry-After) when the IP or the email has used up its failed attempts. */
export async function assertLoginAllowed(ip: string, email: string): Promise<void> {
  const waits = await Promise.all(keysFor(ip, email).map(k => failures.exceeded(k, MAX_FAILURES)))
  const seconds = Math.max(0, ...waits.map(w => w ?? 0))
  if (seconds) {
    throw new GatewayError(429, `Too many sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`,
      'rate_limit_error', 'too_many_login_attempts', null, { 'retry-after': String(seconds) })
  }
}

export async function recordLoginFailure(ip: string, email: string): Promise<void> {
  await Promise.all(keysFor(ip, email).map(k => failures.add(k, 1)))
}

/** A successful sign-in clears the email's failures (not the IP's). */
export async function recordLoginSuccess(email: string): Promise<void> {
  await failures.reset(emailKey(email))
}

// Sign-in throttling: at most MAX_GUESSES failed attempts per client IP and per email in a
// GUESS_WINDOW_MS window; past that every attempt for that IP or email is refused (429) until the
// window ends. Counted in memory, or in Redis so that several instances share the count.
import { type Attempt, attemptLimiter, GUESS_WINDOW_MS, MAX_GUESSES } from './attempt-limiter'

const limiter = attemptLimiter({ scope: 'login-failures', max: MAX_GUESSES, windowMs: GUESS_WINDOW_MS, noun: 'sign-in', code: 'too_many_login_attempts' })

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`

/** Takes this attempt's slot for the IP and the email before the password is checked (throws 429). */
export function reserveLoginAttempt(ip: string, email: string) {
  return limiter.reserve([`ip:${ip}`, emailKey(email)])
}

/** A successful sign-in: its own slot is given back and the email's failures are cleared (not the IP's). */
export async function loginSucceeded(attempt: Attempt, email: string): Promise<void> {
  await attempt.refund()
  await limiter.reset(emailKey(email))
}

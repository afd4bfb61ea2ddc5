// Sign-in throttling, in memory: at most MAX_FAILURES failed attempts per client IP and per email in a
// WINDOW_MS window. Past that every attempt for that IP or email is refused (429) until the window ends.
import { GatewayError } from '../gateway/errors'

const MAX_FAILURES = 10
const WINDOW_MS = 15 * 60_000
/** Bounds the memory an attacker can make the table use; expired entries are dropped first. */
const MAX_ENTRIES = 50_000

interface Window { failures: number, resetAt: number }
const windows = new Map<string, Window>()

function prune(now: number) {
  for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k)
  // Still full: forget the oldest entries (Map keeps insertion order).
  for (const k of windows.keys()) {
    if (windows.size < MAX_ENTRIES) break
    windows.delete(k)
  }
}

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`
const keysFor = (ip: string, email: string) => [`ip:${ip}`, emailKey(email)]

/** Throws 429 (with Retry-After) when the IP or the email has used up its failed attempts. */
export function assertLoginAllowed(ip: string, email: string): void {
  const now = Date.now()
  const blockedUntil = Math.max(0, ...keysFor(ip, email).map((k) => {
    const w = windows.get(k)
    return w && w.resetAt > now && w.failures >= MAX_FAILURES ? w.resetAt : 0
  }))
  if (blockedUntil) {
    const seconds = Math.ceil((blockedUntil - now) / 1000)
    throw new GatewayError(429, `Too many sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`,
      'rate_limit_error', 'too_many_login_attempts', null, { 'retry-after': String(seconds) })
  }
}

export function recordLoginFailure(ip: string, email: string): void {
  const now = Date.now()
  if (windows.size >= MAX_ENTRIES) prune(now)
  for (const k of keysFor(ip, email)) {
    const w = windows.get(k)
    if (w && w.resetAt > now) w.failures++
    else windows.set(k, { failures: 1, resetAt: now + WINDOW_MS })
  }
}

/** A successful sign-in clears the email's failures (not the IP's). */
export function recordLoginSuccess(email: string): void {
  windows.delete(emailKey(email))
}

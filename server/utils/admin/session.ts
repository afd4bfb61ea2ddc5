// Dashboard sessions: an h3 session sealed (encrypted and signed) under a key derived from SECRET_KEY,
// in an HttpOnly, SameSite=Lax cookie. A session expires after IDLE_MS without use (each use renews
// it), at the latest MAX_AGE_S after sign-in, and when its administrator signs out or is removed. Unsafe requests made with a session must carry the
// dashboard's header and, when the browser sends an Origin, come from this host (CSRF).
import { hkdfSync } from 'node:crypto'
import type { H3Event } from 'h3'
import { deleteCookie, getCookie, getRequestHeader, type SessionConfig, useSession } from 'h3'
import { config } from '../core/config'
import { secrets } from '../core/secrets'
import { GatewayError } from '../core/errors'
import { requestHost } from '../ops/client-ip'
import { type AdminAccount, getAdmin, revokeSessions } from './accounts'

const SESSION_COOKIE = 'gw_session'
const CSRF_HEADER = 'x-requested-with'
const CSRF_VALUE = 'gateway-dashboard'

const IDLE_MS = 12 * 3600_000
const MAX_AGE_S = 7 * 24 * 3600
/** A session's idle clock is renewed at most this often (each renewal re-seals the cookie). */
const RENEW_AFTER_MS = 60_000

declare module 'h3' {
  interface H3EventContext {
    /** The dashboard administrator whose session authenticated this request. */
    admin?: AdminAccount
  }
}

interface SessionData {
  adminId?: string
  issuedAt?: number
  seenAt?: number
}

/** With TRUST_PROXY, the proxy in front says whether the client's connection used TLS. */
function isSecureRequest(event: H3Event): boolean {
  if (config().trustedProxyHops > 0) {
    const proto = getRequestHeader(event, 'x-forwarded-proto')?.split(',').at(-1)?.trim()
    if (proto) return proto === 'https'
  }
  return Boolean((event.node.req.socket as { encrypted?: boolean }).encrypted)
}

let password: string | undefined
function sessionPassword(): string {
  password ??= Buffer.from(hkdfSync('sha256', secrets().secretKey, 'llm-gateway', 'llm-gateway/dashboard-session', 32)).toString('base64url')
  return password
}

function cookieOptions(event: H3Event) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: isSecureRequest(event), maxAge: IDLE_MS / 1000 }
}

function sessionConfig(event: H3Event): SessionConfig {
  return { name: SESSION_COOKIE, password: sessionPassword(), maxAge: MAX_AGE_S, sessionHeader: false, cookie: cookieOptions(event) }
}

export async function startSession(event: H3Event, admin: AdminAccount): Promise<void> {
  const session = await useSession<SessionData>(event, sessionConfig(event))
  const now = Date.now()
  await session.update({ adminId: admin.id, issuedAt: now, seenAt: now })
}

/** Sign-out: removes the cookie and ends every session of the administrator, here and elsewhere. */
export async function endSession(event: H3Event): Promise<void> {
  const admin = await sessionAdmin(event)
  if (admin) await revokeSessions(admin.id)
  deleteCookie(event, SESSION_COOKIE, cookieOptions(event))
}

/** The signed-in administrator, or undefined (no, expired or tampered cookie, or a removed account). */
export async function sessionAdmin(event: H3Event): Promise<AdminAccount | undefined> {
  if (!getCookie(event, SESSION_COOKIE)) return undefined
  const session = await useSession<SessionData>(event, sessionConfig(event))
  const { adminId, issuedAt, seenAt } = session.data
  const now = Date.now()
  const admin = adminId && issuedAt && seenAt && now - seenAt < IDLE_MS ? await getAdmin(adminId) : undefined
  if (!admin || (admin.sessionsRevokedAt !== null && issuedAt! < admin.sessionsRevokedAt)) {
    deleteCookie(event, SESSION_COOKIE, cookieOptions(event))
    return undefined
  }
  if (now - seenAt! > RENEW_AFTER_MS) await session.update({ seenAt: now })
  return admin
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Refuses a cookie-authenticated state change that did not come from the dashboard itself. */
export function assertSameOrigin(event: H3Event): void {
  if (SAFE_METHODS.has(event.method)) return
  if (getRequestHeader(event, CSRF_HEADER) !== CSRF_VALUE) {
    throw new GatewayError(403, `Cross-site request refused: send the "${CSRF_HEADER}: ${CSRF_VALUE}" header.`, 'permission_error', 'csrf_failed')
  }
  const origin = getRequestHeader(event, 'origin')
  if (origin && origin !== 'null') {
    let originHost: string | undefined
    try {
      originHost = new URL(origin).host
    }
    catch {}
    if (originHost !== requestHost(event.node.req)) {
      throw new GatewayError(403, 'Cross-site request refused: the Origin does not match this host.', 'permission_error', 'csrf_failed')
    }
  }
}

// The dashboard's sign-in API against the built server: sessions, CSRF refusal, login throttling,
// session access to the admin API, the one-time setup and administrator management.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' }
const DASHBOARD = { 'x-requested-with': 'gateway-dashboard' }

let gw: GatewayProcess
let ipCounter = 0
/** A fresh client address per test (TRUST_PROXY is on), so throttling in one test does not leak into another. */
const nextIp = () => `198.51.100.${++ipCounter}`

async function call(path: string, init: { method?: string, body?: unknown, cookie?: string, headers?: Record<string, string>, ip?: string } = {}) {
  const res = await fetch(`${gw.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      'x-forwarded-for': init.ip ?? '203.0.113.250',
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

/** Failed sign-ins are counted in fixed 15-minute windows: a test must not straddle two. */
async function awayFromWindowEnd() {
  const left = 900_000 - (Date.now() % 900_000)
  if (left < 15_000) await new Promise(r => setTimeout(r, left + 500))
}

const login = (credentials: { email: string, password: string }, ip = nextIp(), headers: Record<string, string> = DASHBOARD) =>
  call('/api/auth/login', { method: 'POST', body: credentials, headers, ip })

/** The `name=value` part of the session cookie a response set. */
function sessionCookie(headers: Headers): string {
  const cookie = headers.getSetCookie().find(c => c.startsWith('gw_session='))
  expect(cookie, 'a gw_session cookie').toBeDefined()
  return cookie!.split(';')[0]!
}

async function signedIn(credentials = ADMIN) {
  const res = await login(credentials)
  expect(res.status).toBe(200)
  return sessionCookie(res.headers)
}

beforeAll(async () => {
  gw = await startGateway({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, TRUST_PROXY: 'true', RATE_LIMIT_PER_MINUTE: '100000', REGISTRY_CRON: 'off' })
})

afterAll(async () => {
  await gw?.stop()
  if (gw) removeDir(gw.dataDir)
})

describe('sign-in', () => {
  it('creates the first administrator from ADMIN_EMAIL/ADMIN_PASSWORD, so setup is closed', async () => {
    expect((await call('/api/auth/setup')).body).toEqual({ required: false })
    const res = await call('/api/auth/setup', { method: 'POST', body: { email: 'intruder@example.com', password: 'another long password' }, headers: DASHBOARD })
    expect(res.status).toBe(409)
  })

  it('sets an HttpOnly, SameSite=Lax session cookie (Secure behind a TLS proxy) and reports who is signed in', async () => {
    const res = await login(ADMIN)
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ email: ADMIN.email })
    expect(JSON.stringify(res.body)).not.toContain('scrypt')
    const raw = res.headers.getSetCookie().find(c => c.startsWith('gw_session='))!
    expect(raw).toMatch(/HttpOnly/i)
    expect(raw).toMatch(/SameSite=Lax/i)
    expect(raw).toMatch(/Max-Age=43200/i)
    expect(raw).not.toMatch(/Secure/i)

    const tls = await call('/api/auth/login', { method: 'POST', body: ADMIN, headers: { ...DASHBOARD, 'x-forwarded-proto': 'https' }, ip: nextIp() })
    expect(tls.headers.getSetCookie().find(c => c.startsWith('gw_session='))).toMatch(/Secure/i)

    expect((await call('/api/auth/me')).body).toEqual({ user: null })
    expect((await call('/api/auth/me', { cookie: sessionCookie(res.headers) })).body.user.email).toBe(ADMIN.email)
  })

  it('refuses a wrong password or an unknown email with the same message', async () => {
    for (const credentials of [{ ...ADMIN, password: 'wrong password here' }, { email: 'nobody@example.com', password: ADMIN.password }]) {
      const res = await login(credentials)
      expect(res.status).toBe(401)
      expect(res.body.error).toMatchObject({ message: 'Invalid email or password.', code: 'invalid_credentials' })
      expect(res.headers.getSetCookie()).toEqual([])
    }
  })

  it('refuses a sign-in without the dashboard header (login CSRF)', async () => {
    const res = await login(ADMIN, nextIp(), {})
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('csrf_failed')
  })

  it('rate-limits failed attempts per client address', async () => {
    await awayFromWindowEnd()
    const ip = nextIp()
    for (let i = 0; i < 10; i++) {
      expect((await login({ email: `guess${i}@example.com`, password: 'not the password' }, ip)).status).toBe(401)
    }
    const blocked = await login(ADMIN, ip)
    expect(blocked.status).toBe(429)
    expect(blocked.body.error.code).toBe('too_many_login_attempts')
    expect(blocked.body.error.message).toMatch(/Too many sign-in attempts/)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another address is not affected.
    expect((await login(ADMIN)).status).toBe(200)
  })

  it('rate-limits failed attempts per email, whatever the address', async () => {
    await awayFromWindowEnd()
    const victim = { email: 'victim@example.com', password: 'not the password' }
    for (let i = 0; i < 10; i++) expect((await login(victim)).status).toBe(401)
    const blocked = await login(victim)
    expect(blocked.status).toBe(429)
    expect(blocked.body.error.message).toMatch(/Try again in \d+ minutes?/)
  })
})

describe('session access to the admin API', () => {
  it('reads and writes the admin API with the session and the dashboard header', async () => {
    const cookie = await signedIn()
    expect((await call('/api/admin/keys', { cookie })).status).toBe(200)
    const created = await call('/api/admin/keys', { method: 'POST', cookie, headers: DASHBOARD, body: { name: 'from-session' } })
    expect(created.status).toBe(201)
    expect(created.body.key).toMatch(/^sk-gw-/)
  })

  it('refuses a session POST without the header, or from another origin (CSRF)', async () => {
    const cookie = await signedIn()
    const bare = await call('/api/admin/keys', { method: 'POST', cookie, body: { name: 'csrf' } })
    expect(bare.status).toBe(403)
    expect(bare.body.error.code).toBe('csrf_failed')
    const foreign = await call('/api/admin/keys', { method: 'POST', cookie, headers: { ...DASHBOARD, origin: 'https://evil.example' }, body: { name: 'csrf' } })
    expect(foreign.status).toBe(403)
    const own = await call('/api/admin/keys', { method: 'POST', cookie, headers: { ...DASHBOARD, origin: gw.url }, body: { name: 'same-origin' } })
    expect(own.status).toBe(201)
    const names = (await gw.admin('GET', '/api/admin/keys')).body.data.map((k: { name: string }) => k.name)
    expect(names).not.toContain('csrf')
  })

  it('leaves bearer-token requests unaffected by the CSRF rule', async () => {
    const res = await gw.admin('POST', '/api/admin/keys', { name: 'bearer' })
    expect(res.status).toBe(201)
  })

  it('refuses a tampered cookie and, after sign-out, the signed-out session', async () => {
    const cookie = await signedIn()
    expect((await call('/api/admin/keys', { cookie: `${cookie.slice(0, -4)}AAAA` })).status).toBe(401)
    expect((await call('/api/auth/logout', { method: 'POST', cookie, headers: DASHBOARD })).status).toBe(200)
    const replayed = await call('/api/admin/keys', { cookie })
    expect(replayed.status).toBe(401)
    expect(replayed.body.error.code).toBe('invalid_admin_key')
  })
})

describe('administrators', () => {
  it('adds and removes administrators, never the last one', async () => {
    const cookie = await signedIn()
    const added = await call('/api/admin/admins', { method: 'POST', cookie, headers: DASHBOARD, body: { email: 'Second@Example.com', password: 'second admin password' } })
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({ email: 'second@example.com', lastLoginAt: null })
    expect(JSON.stringify(added.body)).not.toContain('scrypt')
    expect((await call('/api/admin/admins', { method: 'POST', cookie, headers: DASHBOARD, body: { email: 'second@example.com', password: 'second admin password' } })).status).toBe(409)
    expect((await call('/api/admin/admins', { method: 'POST', cookie, headers: DASHBOARD, body: { email: 'third@example.com', password: 'short' } })).status).toBe(400)

    // The new administrator can sign in; removing them ends their session at once.
    const second = await signedIn({ email: 'second@example.com', password: 'second admin password' })
    expect((await call('/api/admin/keys', { cookie: second })).status).toBe(200)
    expect((await call(`/api/admin/admins/${added.body.id}`, { method: 'DELETE', cookie, headers: DASHBOARD })).status).toBe(200)
    expect((await call('/api/admin/keys', { cookie: second })).status).toBe(401)

    const { body } = await call('/api/admin/admins', { cookie })
    expect(body.data).toHaveLength(1)
    const last = await call(`/api/admin/admins/${body.data[0].id}`, { method: 'DELETE', cookie, headers: DASHBOARD })
    expect(last.status).toBe(409)
    expect(last.body.error.message).toMatch(/last administrator/)
  })
})

describe('one-time setup', () => {
  let fresh: GatewayProcess
  beforeAll(async () => {
    fresh = await startGateway({ RATE_LIMIT_PER_MINUTE: '100000', REGISTRY_CRON: 'off' })
  })
  afterAll(async () => {
    await fresh?.stop()
    if (fresh) removeDir(fresh.dataDir)
  })

  it('creates the first administrator once and signs them in', async () => {
    const post = (body: unknown) => fetch(`${fresh.url}/api/auth/setup`, { method: 'POST', headers: { ...DASHBOARD, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(await (await fetch(`${fresh.url}/api/auth/setup`)).json()).toEqual({ required: true })
    expect((await post({ email: 'first@example.com', password: 'short' })).status).toBe(400)
    const res = await post({ email: 'first@example.com', password: 'the first admin password' })
    expect(res.status).toBe(201)
    const cookie = sessionCookie(res.headers)
    expect((await fetch(`${fresh.url}/api/admin/keys`, { headers: { cookie } })).status).toBe(200)
    expect(await (await fetch(`${fresh.url}/api/auth/setup`)).json()).toEqual({ required: false })
    expect((await post({ email: 'second@example.com', password: 'the second admin password' })).status).toBe(409)
  })
})

// The dashboard's sign-in API against the built server: sessions, CSRF refusal, login throttling
// (counted before the password is checked, in memory and through Redis) and the bound on concurrent
// password checks, session access to the admin API, the one-time setup and its proof of ownership,
// and administrator management.
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GatewayProcess, readAllFiles, removeDir, startGateway } from '../helpers/gateway'
import { REDIS_URL, servicesAvailable, testRedisPrefix } from '../helpers/services'

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' }
const DASHBOARD = { 'x-requested-with': 'gateway-dashboard' }

let gw: GatewayProcess
let ipCounter = 0
/** A fresh client address per request or test (TRUST_PROXY is on), so throttling in one does not leak into another. */
const nextIp = () => `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`

async function call(path: string, init: { method?: string, body?: unknown, cookie?: string, headers?: Record<string, string>, ip?: string, to?: GatewayProcess } = {}) {
  const res = await fetch(`${(init.to ?? gw).url}${path}`, {
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

const login = (credentials: { email: string, password: string }, ip = nextIp(), headers: Record<string, string> = DASHBOARD, to?: GatewayProcess) =>
  call('/api/auth/login', { method: 'POST', body: credentials, headers, ip, to })

const wrongPassword = (email: string) => ({ email, password: 'not the password' })

/** How many answers had each status, e.g. {401: 10, 429: 30}. */
function byStatus(answers: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1
  return counts
}

/** A sign-in whose last body byte is held back until `release()`: the server checks it only then. */
function heldBackLogin(credentials: { email: string, password: string }, ip: string) {
  const body = JSON.stringify(credentials)
  let release = () => {}
  const answer = new Promise<{ status: number, cookies: string[] }>((resolve, reject) => {
    const headers = { ...DASHBOARD, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': ip }
    const req = request(`${gw.url}/api/auth/login`, { method: 'POST', headers }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode!, cookies: res.headers['set-cookie'] ?? [] }))
    })
    req.on('error', reject)
    req.write(body.slice(0, -1))
    let released = false
    release = () => {
      if (!released) req.end(body.slice(-1))
      released = true
    }
  })
  return { answer, release: () => release() }
}

/** `n` requests sent together (none waits for another's answer). */
const together = <T>(n: number, send: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => send(i)))

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
    // Not even the admin API key opens it: the environment decides who the first administrator is.
    const withKey = await call('/api/auth/setup', { method: 'POST', body: { email: 'intruder@example.com', password: 'another long password', token: gw.adminKey }, headers: DASHBOARD })
    expect(withKey.status).toBe(409)
    expect(withKey.body.error).toMatchObject({ code: 'setup_closed', message: expect.stringContaining('ADMIN_EMAIL') })
    expect(gw.setupToken).toBe('')
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

  it('counts concurrent wrong passwords before checking them: of 40 at once from one address, exactly 10 are checked', async () => {
    await awayFromWindowEnd()
    const ip = nextIp()
    const answers = await together(40, i => login(wrongPassword(`concurrent${i}@example.com`), ip))
    expect(byStatus(answers)).toEqual({ 401: 10, 429: 30 })
  })

  it('counts concurrent wrong passwords for one email the same way, whatever the addresses', async () => {
    await awayFromWindowEnd()
    const answers = await together(40, () => login(wrongPassword('concurrent-victim@example.com')))
    expect(byStatus(answers)).toEqual({ 401: 10, 429: 30 })
  })

  it('never lets the right password in once the limit is used, even sent together with wrong ones', async () => {
    await awayFromWindowEnd()
    const target = { email: 'burst@example.com', password: 'the burst admin password' }
    const added = await gw.admin('POST', '/api/admin/admins', target)
    expect(added.status).toBe(201)
    const ip = nextIp()
    // The right password goes out with 89 wrong ones and is complete as soon as any of them is
    // answered: the wrong ones are under way, the ones answered first already checked or refused.
    const right = heldBackLogin(target, ip)
    const [wrong, answer] = await Promise.all([
      together(89, () => login(wrongPassword(target.email), ip).finally(right.release)),
      right.answer,
    ])
    expect(byStatus(wrong)).toEqual({ 401: 10, 429: 79 })
    expect(answer).toEqual({ status: 429, cookies: [] })
    // The email's limit is used up too: another address gets no further.
    expect((await login(target)).status).toBe(429)
    expect((await gw.admin('DELETE', `/api/admin/admins/${added.body.id}`)).status).toBe(200)
  })

  it('checks only a few passwords at once: past a short queue, sign-ins get 503 at once instead of waiting', async () => {
    const ips = Array.from({ length: 100 }, nextIp)
    const answers = await together(100, i => login(wrongPassword(`flood${i}@example.com`), ips[i]))
    expect(Object.keys(byStatus(answers)).sort()).toEqual(['401', '503'])
    const busy = answers.findIndex(a => a.status === 503)
    expect(answers[busy]!.body.error).toMatchObject({ type: 'service_unavailable', code: 'password_check_busy' })
    expect(answers[busy]!.headers.get('retry-after')).toBe('1')
    // A refused attempt was never checked, so it gave its address's slot back: 10 more are checked.
    const after = await together(10, i => login(wrongPassword(`after-flood${i}@example.com`), ips[busy]))
    expect(byStatus(after)).toEqual({ 401: 10 })
  })
})

const missingServices = await servicesAvailable()
if (missingServices) console.warn(`[auth-api] Redis throttling skipped: ${missingServices}`)

describe.skipIf(Boolean(missingServices))('sign-in throttling shared through Redis', () => {
  let redis: ReturnType<typeof testRedisPrefix>
  let a: GatewayProcess
  let b: GatewayProcess

  beforeAll(async () => {
    redis = testRedisPrefix()
    const env = { REDIS_URL, REDIS_PREFIX: redis.prefix, TRUST_PROXY: 'true' }
    ;[a, b] = await Promise.all([startGateway(env), startGateway(env)])
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    for (const g of [a, b]) if (g) removeDir(g.dataDir)
    await redis?.cleanup()
  })

  it('counts concurrent wrong passwords on two instances as one: exactly 10 of 40 are checked', async () => {
    await awayFromWindowEnd()
    const ip = nextIp()
    const answers = await together(40, i => login(wrongPassword(`shared${i}@example.com`), ip, DASHBOARD, i % 2 ? a : b))
    expect(byStatus(answers)).toEqual({ 401: 10, 429: 30 })
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
  const FIRST = { email: 'first@example.com', password: 'the first admin password' }
  const started: GatewayProcess[] = []
  let fresh: GatewayProcess

  async function gateway(env: Record<string, string> = {}) {
    const g = await startGateway({ TRUST_PROXY: 'true', ...env })
    started.push(g)
    return g
  }
  const setup = (to: GatewayProcess, body: object, opts: { ip?: string, headers?: Record<string, string> } = {}) =>
    call('/api/auth/setup', { method: 'POST', to, body, headers: { ...DASHBOARD, ...opts.headers }, ip: opts.ip ?? nextIp() })
  const required = async (to: GatewayProcess) => (await call('/api/auth/setup', { to })).body.required

  beforeAll(async () => {
    fresh = await gateway()
  })
  afterAll(async () => {
    for (const g of started) {
      await g.stop()
      removeDir(g.dataDir)
    }
  })

  it('refuses to create the first administrator without proof of owning the gateway', async () => {
    expect(await required(fresh)).toBe(true)
    const bare = await setup(fresh, FIRST)
    expect(bare.status).toBe(401)
    expect(bare.body.error).toMatchObject({ code: 'setup_token_required', message: expect.stringContaining('set-up token') })
    expect(bare.headers.getSetCookie()).toEqual([])
    const wrong = await setup(fresh, { ...FIRST, token: 'gw-setup-guessed' })
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('invalid_setup_token')
    const wrongKey = await setup(fresh, FIRST, { headers: { authorization: 'Bearer sk-admin-guessed' } })
    expect(wrongKey.status).toBe(401)
    expect(await required(fresh)).toBe(true)
  })

  it('throttles set-up token guesses per address, each counted before it is checked', async () => {
    await awayFromWindowEnd()
    const ip = nextIp()
    const answers = await together(40, i => setup(fresh, { ...FIRST, token: `gw-setup-guess-${i}` }, { ip }))
    expect(byStatus(answers)).toEqual({ 401: 10, 429: 30 })
    expect(answers.find(a => a.status === 429)!.body.error.code).toBe('too_many_setup_attempts')
    // The real token from that address waits for the window too.
    expect((await setup(fresh, { ...FIRST, token: fresh.setupToken }, { ip })).status).toBe(429)
    expect(await required(fresh)).toBe(true)
  })

  it('prints a new set-up token at each start; the previous one stops working', async () => {
    const previous = fresh.setupToken
    expect(previous).toMatch(/^gw-setup-[\w-]{20,}$/)
    await fresh.restart()
    expect(fresh.setupToken).toMatch(/^gw-setup-/)
    expect(fresh.setupToken).not.toBe(previous)
    expect((await setup(fresh, { ...FIRST, token: previous })).status).toBe(401)
  })

  it('creates the first administrator with the printed token and signs them in, once; the token is kept nowhere', async () => {
    const token = fresh.setupToken
    expect((await setup(fresh, { email: 'first@example.com', password: 'short', token })).status).toBe(400)
    const res = await setup(fresh, { ...FIRST, token })
    expect(res.status).toBe(201)
    const cookie = sessionCookie(res.headers)
    expect((await call('/api/admin/keys', { to: fresh, cookie })).status).toBe(200)
    expect(await required(fresh)).toBe(false)
    const again = await setup(fresh, { email: 'second@example.com', password: 'the second admin password', token })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('setup_closed')
    expect(readAllFiles(fresh.dataDir)).not.toContain(token)
  })

  it('accepts the admin API key as the proof (a bearer token), and no other key', async () => {
    const adminKey = 'sk-admin-set-up-with-the-admin-key-0123456789'
    const keyed = await gateway({ ADMIN_API_KEY: adminKey })
    expect((await setup(keyed, FIRST, { headers: { authorization: `Bearer ${adminKey.slice(0, -1)}x` } })).status).toBe(401)
    const res = await setup(keyed, FIRST, { headers: { authorization: `Bearer ${adminKey}` } })
    expect(res.status).toBe(201)
    expect(res.body.user.email).toBe(FIRST.email)
    expect(await required(keyed)).toBe(false)
  })

  it('stays closed while ADMIN_EMAIL and ADMIN_PASSWORD are set, even when they cannot be used', async () => {
    const misconfigured = await gateway({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'too short' })
    expect(misconfigured.output()).toMatch(/ADMIN_EMAIL\/ADMIN_PASSWORD not used/)
    expect(misconfigured.setupToken).toBe('')
    expect(await required(misconfigured)).toBe(false)
    const res = await setup(misconfigured, { ...FIRST, token: misconfigured.adminKey })
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'setup_closed', message: expect.stringContaining('ADMIN_PASSWORD') })
  })
})

// Dashboard administrator accounts (table admin_users). The first one comes from ADMIN_EMAIL and
// ADMIN_PASSWORD when both are set and no account exists yet, or from the one-time /setup page.
import { consola } from 'consola'
import { z } from 'zod'
import { config } from '../core/config'
import { randomToken } from '../core/crypto'
import { database } from '../db'
import { GatewayError } from '../core/errors'
import { hashPassword } from './passwords'

const AdminEmail = z.string().trim().toLowerCase().pipe(z.email().max(254))
const AdminPassword = z.string().min(12, 'must be at least 12 characters').max(256)
export const AdminCredentials = z.object({ email: AdminEmail, password: AdminPassword }).strict()

export interface AdminAccount {
  id: string
  email: string
  createdAt: number
  lastLoginAt: number | null
  /** Sessions issued before this time are no longer valid (sign-out). */
  sessionsRevokedAt: number | null
}

interface AdminRow {
  id: string
  email: string
  password_hash: string
  created_at: number | string
  last_login_at: number | string | null
  sessions_revoked_at: number | string | null
}

const num = (v: number | string | null) => (v === null ? null : Number(v))

const fromRow = (r: AdminRow): AdminAccount => ({
  id: r.id,
  email: r.email,
  createdAt: Number(r.created_at),
  lastLoginAt: num(r.last_login_at),
  sessionsRevokedAt: num(r.sessions_revoked_at),
})

export function adminView(a: AdminAccount) {
  return { id: a.id, email: a.email, createdAt: new Date(a.createdAt).toISOString(), lastLoginAt: a.lastLoginAt === null ? null : new Date(a.lastLoginAt).toISOString() }
}

export async function listAdmins(): Promise<AdminAccount[]> {
  const { db } = await database()
  return (await db.prepare('SELECT * FROM admin_users ORDER BY created_at, id').all() as AdminRow[]).map(fromRow)
}

export async function countAdmins(): Promise<number> {
  const { db } = await database()
  const row = await db.prepare('SELECT COUNT(*) AS n FROM admin_users').get() as { n: number | string }
  return Number(row.n)
}

export async function getAdmin(id: string): Promise<AdminAccount | undefined> {
  const { db } = await database()
  const row = await db.prepare('SELECT * FROM admin_users WHERE id = ?').get(id) as AdminRow | undefined
  return row && fromRow(row)
}

/** The account and its password hash, for sign-in only. */
export async function findAdminForLogin(email: string): Promise<{ account: AdminAccount, passwordHash: string } | undefined> {
  const { db } = await database()
  const row = await db.prepare('SELECT * FROM admin_users WHERE email = ?').get(email.trim().toLowerCase()) as AdminRow | undefined
  return row && { account: fromRow(row), passwordHash: row.password_hash }
}

const conflict = (message: string) => new GatewayError(409, message, 'invalid_request_error', 'conflict')

/**
 * Inside a transaction: makes "is there an account / is this the last one" checks hold until commit.
 * SQLite has one writer at a time already; PostgreSQL (several instances) needs the table locked.
 */
async function lockAccounts(): Promise<void> {
  const { db, dialect } = await database()
  if (dialect.name === 'postgresql') await db.exec('LOCK TABLE admin_users IN EXCLUSIVE MODE')
}

/**
 * Creates an account. With `onlyIfNone` it is created only while no account exists (first start and
 * /setup); the check and the insert run in one locked transaction, so racing calls create one account.
 */
export async function createAdmin(input: { email: string, password: string }, opts: { onlyIfNone?: boolean } = {}): Promise<AdminAccount> {
  const { db, transaction } = await database()
  const email = AdminEmail.parse(input.email)
  const passwordHash = await hashPassword(input.password)
  const id = `adm_${randomToken(12)}`
  await transaction(async () => {
    await lockAccounts()
    if (opts.onlyIfNone && (await db.prepare('SELECT 1 AS x FROM admin_users LIMIT 1').get())) throw conflict('An administrator already exists.')
    if (await db.prepare('SELECT 1 AS x FROM admin_users WHERE email = ?').get(email)) throw conflict(`An administrator with the email ${email} already exists.`)
    await db.prepare('INSERT INTO admin_users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)').run(id, email, passwordHash, Date.now())
  })
  return (await getAdmin(id))!
}

/** Deletes an account unless it is the last one. Returns false when it does not exist. */
export async function deleteAdmin(id: string): Promise<boolean> {
  const { db, transaction } = await database()
  return transaction(async () => {
    await lockAccounts()
    if (!(await db.prepare('SELECT 1 AS x FROM admin_users WHERE id = ?').get(id))) return false
    if (await countAdmins() <= 1) throw conflict('The last administrator cannot be removed.')
    await db.prepare('DELETE FROM admin_users WHERE id = ?').run(id)
    return true
  })
}

export async function recordLogin(id: string): Promise<void> {
  const { db, transaction } = await database()
  await transaction(() => db.prepare('UPDATE admin_users SET last_login_at = ? WHERE id = ?').run(Date.now(), id))
}

/** Ends every session of the account issued until now. */
export async function revokeSessions(id: string): Promise<void> {
  const { db, transaction } = await database()
  await transaction(() => db.prepare('UPDATE admin_users SET sessions_revoked_at = ? WHERE id = ?').run(Date.now(), id))
}

let bootstrapped: Promise<void> | undefined

/** Creates the first account from ADMIN_EMAIL and ADMIN_PASSWORD (once per process, when none exists). */
export function ensureBootstrapAdmin(): Promise<void> {
  bootstrapped ??= (async () => {
    const { adminEmail: email, adminPassword: password } = config()
    if (!email || !password || (await countAdmins()) > 0) return
    const parsed = AdminCredentials.safeParse({ email, password })
    if (!parsed.success) {
      consola.warn(`[auth] ADMIN_EMAIL/ADMIN_PASSWORD not used: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}; correct them and restart (/setup stays closed while both are set)`)
      return
    }
    try {
      await createAdmin(parsed.data, { onlyIfNone: true })
      consola.info(`[auth] created the dashboard administrator ${parsed.data.email} from ADMIN_EMAIL`)
    }
    catch (error) {
      if (!(error instanceof GatewayError && error.status === 409)) throw error
    }
  })().catch((error) => {
    bootstrapped = undefined
    throw error
  })
  return bootstrapped
}

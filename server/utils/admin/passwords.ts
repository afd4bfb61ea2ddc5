// Dashboard passwords: scrypt with a random salt, stored as `scrypt$N$r$p$salt$hash` (base64url salt
// and hash) so the cost can be raised later without invalidating stored hashes. Verified in constant time.
// Each run takes 32 MiB and tens of milliseconds of a libuv thread, so only a few run at once and a
// short queue waits; past it a sign-in gets 503 at once (a flood of guesses cannot starve the server).
import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto'
import { semaphore } from '../core/semaphore'
import { GatewayError } from '../core/errors'

const COST = { N: 2 ** 15, r: 8, p: 1 }
const KEY_LENGTH = 64
const SALT_BYTES = 16
const MAX_CONCURRENT = 2
const MAX_WAITING = 32

const scryptTurn = semaphore(MAX_CONCURRENT, MAX_WAITING, () => new GatewayError(503,
  'The gateway is busy checking other passwords; try again in a moment.', 'service_unavailable', 'password_check_busy', null, { 'retry-after': '1' }))

function derive(password: string, salt: Buffer, o: { N: number, r: number, p: number }, length: number): Promise<Buffer> {
  const options: ScryptOptions = { ...o, maxmem: 256 * o.N * o.r }
  return scryptTurn(() => new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)))))
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const hash = await derive(password, salt, COST, KEY_LENGTH)
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), hash.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length)
  return timingSafeEqual(actual, expected)
}

/** A hash of a random password, verified against when the email is unknown, so timing does not tell. */
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  // A refusal (busy) is not kept: the next call tries again.
  decoy ??= hashPassword(randomBytes(16).toString('base64url')).catch((error) => {
    decoy = undefined
    throw error
  })
  return decoy
}

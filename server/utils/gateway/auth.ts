// Gateway key authentication. The presented key is HMAC'd and looked up in an in-memory cache, so the
// hot path does not read the database per request; admin changes (revoke, limits) update the cache at
// once through forgetKey(). The HMAC of a key that authenticated is remembered too (a bounded map), so
// a busy key is not hashed on every request; keys that fail are never remembered. Concurrent first
// uses of a key (after a start, or an edit) share one database read and so one key object.
import type { H3Event } from 'h3'
import { type GatewayKey, findKeyByHash, hashKeySecret, KEY_PREFIX } from '../store/keys'
import { broadcast } from '../shared/broadcast'
import { bearerToken } from '../core/bearer-token'
import { GatewayError } from '../core/errors'

const byHash = new Map<string, GatewayKey>()
const hashById = new Map<string, string>()
const hashBySecret = new Map<string, string>()
const MAX_REMEMBERED_SECRETS = 10_000
/** Database reads in progress, by hash. */
const loading = new Map<string, Promise<GatewayKey | undefined>>()
/** Counts forgetKey() calls: a read that overlapped one may be out of date, so it serves its callers but is not cached. */
let forgets = 0

const unauthorized = (message: string, code = 'invalid_api_key') => new GatewayError(401, message, 'authentication_error', code)

/** The bearer token, or for Anthropic-style clients the x-api-key header. */
function presentedKey(event: H3Event): string | undefined {
  const xApiKey = event.node.req.headers['x-api-key']
  return bearerToken(event) ?? (typeof xApiKey === 'string' ? xApiKey.trim() : undefined)
}

/** The key with this hash from the cache, else from one database read shared by every concurrent caller. */
function keyByHash(hash: string): GatewayKey | undefined | Promise<GatewayKey | undefined> {
  const cached = byHash.get(hash)
  if (cached) return cached
  let pending = loading.get(hash)
  if (!pending) {
    const generation = forgets
    pending = findKeyByHash(hash).then((key) => {
      if (key && generation === forgets) {
        byHash.set(hash, key)
        hashById.set(key.id, hash)
      }
      return key
    }).finally(() => loading.delete(hash))
    loading.set(hash, pending)
  }
  return pending
}

export async function authenticate(event: H3Event): Promise<GatewayKey> {
  const secret = presentedKey(event)
  if (!secret) throw unauthorized('You didn\'t provide an API key. Send your gateway key as "Authorization: Bearer sk-gw-…".', 'missing_api_key')
  if (!secret.startsWith(KEY_PREFIX)) throw unauthorized('Incorrect API key provided.')
  const hash = hashBySecret.get(secret) ?? hashKeySecret(secret)
  const key = await keyByHash(hash)
  if (!key) throw unauthorized('Incorrect API key provided.')
  if (!hashBySecret.has(secret)) {
    if (hashBySecret.size >= MAX_REMEMBERED_SECRETS) hashBySecret.delete(hashBySecret.keys().next().value!)
    hashBySecret.set(secret, hash)
  }
  if (key.revokedAt !== null) throw unauthorized('This API key has been revoked.', 'revoked_api_key')
  if (key.expiresAt !== null && key.expiresAt <= Date.now()) throw unauthorized('This API key has expired.', 'expired_api_key')
  return key
}

/** Drops a key from the cache so its next use reads the database (after revoke or an edit). */
export function forgetKey(id: string): void {
  forgets++
  const hash = hashById.get(id)
  if (hash) byHash.delete(hash)
  hashById.delete(id)
}

/** A key was revoked or edited: every instance drops it from its cache. */
export function keyChanged(id: string): void {
  forgetKey(id)
  broadcast('keys', id)
}

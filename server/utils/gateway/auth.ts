// Gateway key authentication. The presented key is HMAC'd and looked up in an in-memory cache, so the
// hot path does not read the database per request; admin changes (revoke, limits) update the cache at
// once through forgetKey(). The HMAC of a key that authenticated is remembered too (a bounded map), so
// a busy key is not hashed on every request; keys that fail are never remembered.
import type { H3Event } from 'h3'
import { type GatewayKey, findKeyByHash, hashKeySecret, KEY_PREFIX } from '../store/keys'
import { broadcast } from '../shared/broadcast'
import { GatewayError } from './errors'

const byHash = new Map<string, GatewayKey>()
const hashById = new Map<string, string>()
const hashBySecret = new Map<string, string>()
const MAX_REMEMBERED_SECRETS = 10_000

const unauthorized = (message: string, code = 'invalid_api_key') => new GatewayError(401, message, 'authentication_error', code)

/** The bearer token, or for Anthropic-style clients the x-api-key header. */
export function presentedKey(event: H3Event): string | undefined {
  const auth = event.node.req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim()
  const xApiKey = event.node.req.headers['x-api-key']
  return typeof xApiKey === 'string' ? xApiKey.trim() : undefined
}

export async function authenticate(event: H3Event): Promise<GatewayKey> {
  const secret = presentedKey(event)
  if (!secret) throw unauthorized('You didn\'t provide an API key. Send your gateway key as "Authorization: Bearer sk-gw-…".', 'missing_api_key')
  if (!secret.startsWith(KEY_PREFIX)) throw unauthorized('Incorrect API key provided.')
  const hash = hashBySecret.get(secret) ?? hashKeySecret(secret)
  let key = byHash.get(hash)
  if (!key) {
    key = await findKeyByHash(hash)
    if (!key) throw unauthorized('Incorrect API key provided.')
    byHash.set(hash, key)
    hashById.set(key.id, hash)
  }
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
  const hash = hashById.get(id)
  if (hash) byHash.delete(hash)
  hashById.delete(id)
}

/** A key was revoked or edited: every instance drops it from its cache. */
export function keyChanged(id: string): void {
  forgetKey(id)
  broadcast('keys', id)
}

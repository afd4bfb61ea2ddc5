// Secret handling: AES-256-GCM for stored provider credentials (key from HKDF-SHA256), HMAC-SHA256
// for gateway keys (stored only as digests), and random key generation.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

const CIPHER_VERSION = 'v1'
const HKDF_INFO = 'llm-gateway/provider-credentials/aes-256-gcm'

export interface CipherKey {
  /** Short fingerprint stored with each ciphertext, so rows can name the key that sealed them. */
  id: string
  key: Buffer
}

export function deriveCipherKey(secret: string): CipherKey {
  const key = Buffer.from(hkdfSync('sha256', secret, 'llm-gateway', HKDF_INFO, 32))
  const id = createHash('sha256').update(key).digest('hex').slice(0, 8)
  return { id, key }
}

/** `v1:<keyId>:<iv>:<tag>:<ciphertext>`, base64url parts. */
export function encryptSecret(plain: string, k: CipherKey): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', k.key, iv)
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return [CIPHER_VERSION, k.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':')
}

export function cipherKeyIdOf(sealed: string): string | undefined {
  const [version, id] = sealed.split(':')
  return version === CIPHER_VERSION ? id : undefined
}

/** Decrypts with whichever of `keys` sealed the value; throws when none did or the value was altered. */
export function decryptSecret(sealed: string, keys: CipherKey[]): string {
  const [version, id, iv, tag, ct] = sealed.split(':')
  if (version !== CIPHER_VERSION || !iv || !tag || ct === undefined) throw new Error('unrecognised ciphertext format')
  const k = keys.find(candidate => candidate.id === id)
  if (!k) throw new Error(`no encryption key with id ${id} is configured`)
  const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8')
}

export function hmacHex(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex')
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** Constant-time equality of two strings, whatever their lengths. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest()
  const db = createHash('sha256').update(b).digest()
  return timingSafeEqual(da, db)
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** A hint that identifies a secret to a human without revealing it: its last 4 characters at most. */
export function secretHint(secret: string): string {
  return secret.length <= 8 ? '' : secret.slice(-4)
}

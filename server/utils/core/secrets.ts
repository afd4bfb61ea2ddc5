// The three process secrets (admin key, encryption key, secret key). Taken from the environment when
// set; otherwise generated on first start and kept in DATA_DIR/secrets.json (mode 0600). The admin
// key is kept there only as a SHA-256 digest: it is printed once and never written in clear.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { config } from './config'
import { type CipherKey, deriveCipherKey, randomToken, safeEqual, sha256Hex } from './crypto'

const MIN_SECRET_LENGTH = 32

const SecretsFile = z.object({
  adminApiKeySha256: z.string().optional(),
  encryptionKey: z.string().min(MIN_SECRET_LENGTH).optional(),
  secretKey: z.string().min(MIN_SECRET_LENGTH).optional(),
})

export interface ProcessSecrets {
  /** Checks a presented admin bearer token in constant time. */
  isAdminKey(token: string): boolean
  cipherKey: CipherKey
  /** Keys that may still decrypt stored values (the current one first). */
  decryptionKeys: CipherKey[]
  secretKey: string
  /** Set only on the start that generated the admin key, so it can be shown once. */
  generatedAdminKey?: string
}

let loaded: ProcessSecrets | undefined

function requireLength(name: string, value: string | undefined) {
  if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
    throw new Error(`${name} must be at least ${MIN_SECRET_LENGTH} characters long`)
  }
}

export function secrets(): ProcessSecrets {
  if (loaded) return loaded
  const cfg = config()
  requireLength('ENCRYPTION_KEY', cfg.encryptionKey)
  requireLength('ENCRYPTION_KEY_PREVIOUS', cfg.encryptionKeyPrevious)
  requireLength('SECRET_KEY', cfg.secretKey)

  const file = existsSync(cfg.secretsPath) ? SecretsFile.parse(JSON.parse(readFileSync(cfg.secretsPath, 'utf8'))) : {}
  const next = { ...file }
  let generatedAdminKey: string | undefined
  if (!cfg.adminApiKey && !next.adminApiKeySha256) {
    generatedAdminKey = `sk-admin-${randomToken(32)}`
    next.adminApiKeySha256 = sha256Hex(generatedAdminKey)
  }
  if (!cfg.encryptionKey && !next.encryptionKey) next.encryptionKey = randomToken(48)
  if (!cfg.secretKey && !next.secretKey) next.secretKey = randomToken(48)
  if (JSON.stringify(next) !== JSON.stringify(file)) {
    mkdirSync(dirname(cfg.secretsPath), { recursive: true })
    writeFileSync(cfg.secretsPath, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 })
    chmodSync(cfg.secretsPath, 0o600)
  }

  const adminDigest = cfg.adminApiKey ? sha256Hex(cfg.adminApiKey) : next.adminApiKeySha256!
  const cipherKey = deriveCipherKey(cfg.encryptionKey ?? next.encryptionKey!)
  const decryptionKeys = [cipherKey]
  if (cfg.encryptionKeyPrevious) decryptionKeys.push(deriveCipherKey(cfg.encryptionKeyPrevious))
  // A key generated earlier and later replaced by ENCRYPTION_KEY still opens what it sealed.
  if (cfg.encryptionKey && next.encryptionKey) decryptionKeys.push(deriveCipherKey(next.encryptionKey))

  loaded = {
    isAdminKey: token => safeEqual(sha256Hex(token), adminDigest),
    cipherKey,
    decryptionKeys,
    secretKey: cfg.secretKey ?? next.secretKey!,
    generatedAdminKey,
  }
  return loaded
}

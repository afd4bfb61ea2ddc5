// The dashboard's form schemas (zod), with the same rules the admin API applies.
import { z } from 'zod'
import type { ConnectionType } from '~~/server/utils/providers'

const adminAccountFields = {
  email: z.email('Enter a valid email address'),
  password: z.string().min(12, 'Use at least 12 characters').max(256),
  confirm: z.string(),
}

const passwordsMatch = <T extends { password: string, confirm: string }>(v: T) => v.password === v.confirm
const passwordsMismatch = { message: 'The passwords do not match', path: ['confirm'] }

/** A new administrator (settings): email, password of 12+ characters, confirmation. */
export function adminAccountSchema() {
  return z.object(adminAccountFields).refine(passwordsMatch, passwordsMismatch)
}

/** The first administrator (setup page): the same, with the set-up token printed at start or the admin API key. */
export function setupSchema() {
  return z.object({ token: z.string().trim().min(1, 'Enter the set-up token from the gateway\'s log'), ...adminAccountFields })
    .refine(passwordsMatch, passwordsMismatch)
}

/** Empty number inputs give null (Nuxt UI's `.nullable` modifier): null means "no limit". */
const limit = (schema: z.ZodNumber) => schema.nullable().optional().transform(v => v ?? null)

export function keyFormSchema() {
  return z.object({
    name: z.string().trim().min(1, 'Give the key a name').max(200),
    budgetUsd: limit(z.number().min(0, 'Must not be negative')),
    rpm: limit(z.number().int('Whole requests per minute').positive('Must be above 0')),
    tpm: limit(z.number().int('Whole tokens per minute').positive('Must be above 0')),
    models: z.array(z.string()),
    /** A day (YYYY-MM-DD) in the viewer's zone; the key expires at its end. */
    expiresOn: z.string().nullable().optional().refine(d => !d || endOfDay(d) > Date.now(), 'Pick a day in the future'),
  })
}

/** The last millisecond of a YYYY-MM-DD day in the viewer's zone. */
export function endOfDay(day: string): number {
  return new Date(`${day}T23:59:59.999`).getTime()
}

/** A registry price form: USD per 1M tokens, cached input not above input. */
export function pricingSchema() {
  const price = (label: string) => z.number({ error: `Enter the ${label} price` }).min(0, 'Must not be negative').max(1000, 'At most $1,000 per 1M tokens')
  const optionalPrice = (label: string) => price(label).nullable().optional().transform(v => v ?? undefined)
  return z.object({
    input: price('input'),
    cachedInput: optionalPrice('cached input'),
    cacheWrite: optionalPrice('cache write'),
    output: price('output'),
  }).refine(p => p.cachedInput === undefined || p.cachedInput <= p.input, { message: 'Cached input must not exceed input', path: ['cachedInput'] })
}

export function credentialSchema() {
  return z.object({
    apiKey: z.string().trim().min(1, 'Enter the API key').max(4096),
    baseUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' })]).optional(),
  })
}

/** The connection types the admin API takes, checked against the server's own list. */
export const CONNECTION_TYPE_OPTIONS = ['openai-compatible', 'anthropic-compatible', 'openai', 'anthropic', 'google'] as const satisfies readonly ConnectionType[]

export function connectionSchema() {
  return z.object({
    name: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Lowercase letters, digits and dashes, at most 40'),
    type: z.enum(CONNECTION_TYPE_OPTIONS),
    preset: z.string().optional(),
    baseUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' })]).optional(),
    apiKey: z.string().trim().max(4096).optional(),
  })
}

/** A time as the YYYY-MM-DD day it falls on in the viewer's zone (for date inputs). */
export function localDay(t: string | number): string {
  const d = new Date(t)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

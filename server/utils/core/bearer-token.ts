// The one reader of `Authorization: Bearer <token>` headers (gateway keys, the admin API key, the
// metrics token, the set-up proof).
import type { H3Event } from 'h3'

/** The token of an `Authorization: Bearer …` header, trimmed; undefined without one. */
export function bearerToken(event: H3Event): string | undefined {
  const auth = event.node.req.headers.authorization
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined
}

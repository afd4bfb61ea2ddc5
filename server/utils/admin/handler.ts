// Admin API handlers: bearer ADMIN_API_KEY or a dashboard session required, bodies and queries
// validated with zod, errors in the same {"error":{…}} shape as /v1.
import type { EventHandlerRequest, H3Event } from 'h3'
import { defineEventHandler, getQuery, getRouterParam, setResponseStatus } from 'h3'
import { z } from 'zod'
import { secrets } from '../core/secrets'
import { type BodyFamily, readJsonBody } from '../gateway/body'
import { bearerToken } from '../core/bearer-token'
import { GatewayError, fromZodError } from '../core/errors'
import { sendFailure } from '../gateway/respond'
import { assertSameOrigin, sessionAdmin } from './session'

async function requireAdmin(event: H3Event): Promise<void> {
  const auth = event.node.req.headers.authorization
  // A dashboard session (cookie) counts only for requests without an Authorization header.
  if (auth === undefined) {
    const admin = await sessionAdmin(event)
    if (admin) {
      assertSameOrigin(event)
      event.context.admin = admin
      return
    }
  }
  const token = bearerToken(event)
  if (!token || !secrets().isAdminKey(token)) {
    throw new GatewayError(401, 'Admin authentication required: sign in to the dashboard or send "Authorization: Bearer <ADMIN_API_KEY>".', 'authentication_error', 'invalid_admin_key')
  }
}

export function defineAdminHandler<T>(fn: (event: H3Event<EventHandlerRequest>) => Promise<T> | T) {
  return defineEventHandler(async (event) => {
    try {
      await requireAdmin(event)
      return await fn(event)
    }
    catch (error) {
      sendFailure(event, error, '[admin] request')
    }
  })
}

/** The validated JSON body of an admin API or sign-in request (`family` picks its size cap). */
export async function adminBody<T extends z.ZodType>(event: H3Event, schema: T, family: Extract<BodyFamily, 'admin' | 'auth'> = 'admin'): Promise<z.infer<T>> {
  return (await readJsonBody(event, schema, family)).body
}

export function adminQuery<T extends z.ZodType>(event: H3Event, schema: T): z.infer<T> {
  const parsed = schema.safeParse(getQuery(event))
  if (!parsed.success) throw fromZodError(parsed.error)
  return parsed.data
}

export function routeParam(event: H3Event, name: string): string {
  return getRouterParam(event, name, { decode: true }) ?? ''
}

export function created<T>(event: H3Event, body: T): T {
  setResponseStatus(event, 201)
  return body
}

export const notFound = (what: string) => new GatewayError(404, `${what} not found.`, 'not_found_error', 'not_found')

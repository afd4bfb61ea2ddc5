// Handlers of the dashboard's sign-in API (/api/auth): no authentication needed, but state changes
// must come from the dashboard (CSRF). (The first administrator from the environment is created at
// start, before any request is answered.) Errors have the admin API's {"error":{…}} shape.
import type { EventHandlerRequest, H3Event } from 'h3'
import { defineEventHandler } from 'h3'
import { sendFailure } from '../gateway/respond'
import { assertSameOrigin } from './session'

export function defineAuthHandler<T>(fn: (event: H3Event<EventHandlerRequest>) => Promise<T> | T) {
  return defineEventHandler(async (event) => {
    try {
      assertSameOrigin(event)
      return await fn(event)
    }
    catch (error) {
      sendFailure(event, error, '[auth] request')
    }
  })
}

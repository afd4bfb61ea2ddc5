// Handlers of the dashboard's sign-in API (/api/auth): no authentication needed, but state changes
// must come from the dashboard (CSRF), and the first administrator is created from the environment
// before any of them runs. Errors have the admin API's {"error":{…}} shape.
import type { EventHandlerRequest, H3Event } from 'h3'
import { defineEventHandler } from 'h3'
import { toGatewayError } from '../gateway/errors'
import { sendOpenAIError } from '../gateway/respond'
import { ensureBootstrapAdmin } from './accounts'
import { assertSameOrigin } from './session'

export function defineAuthHandler<T>(fn: (event: H3Event<EventHandlerRequest>) => Promise<T> | T) {
  return defineEventHandler(async (event) => {
    try {
      assertSameOrigin(event)
      await ensureBootstrapAdmin()
      return await fn(event)
    }
    catch (error) {
      const err = toGatewayError(error)
      if (err.status >= 500) console.error('[auth] request failed:', error)
      sendOpenAIError(event, err)
    }
  })
}

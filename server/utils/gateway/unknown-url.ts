// The answer to a path, or a method on a path, that no handler takes: a JSON 404 in the API's error
// shape (the query string is left out of the message). Used by the catch-all routes under /api and /v1.
import { defineEventHandler } from 'h3'
import { GatewayError } from '../core/errors'
import { type ErrorSender, sendOpenAIError } from './respond'

export function unknownUrlHandler(send: ErrorSender = sendOpenAIError) {
  return defineEventHandler((event) => {
    send(event, new GatewayError(404, `Unknown request URL: ${event.method} ${event.path.split('?')[0]}.`, 'invalid_request_error', 'unknown_url'))
  })
}

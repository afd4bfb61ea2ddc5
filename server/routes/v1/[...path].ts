// Anything else under /v1 is answered the way OpenAI answers an unknown URL, in its error shape.
import { GatewayError } from '../../utils/gateway/errors'
import { sendOpenAIError } from '../../utils/gateway/respond'

export default defineEventHandler((event) => {
  sendOpenAIError(event, new GatewayError(404, `Unknown request URL: ${event.method} ${event.path}.`, 'invalid_request_error', 'unknown_url'))
})

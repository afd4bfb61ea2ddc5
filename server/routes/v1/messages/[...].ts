// Unknown paths under /v1/messages, and /v1/messages asked with another method than POST: a 404 in
// Anthropic's error shape, which the Anthropic SDKs raise as NotFoundError.
import { sendAnthropicError } from '../../../utils/gateway/respond'
import { unknownUrlHandler } from '../../../utils/gateway/unknown-url'

export default unknownUrlHandler(sendAnthropicError)

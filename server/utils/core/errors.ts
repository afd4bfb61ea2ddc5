// Errors a /v1 client sees, in OpenAI's shape: {"error":{"message","type","param","code"}}.
import { z } from 'zod'

export type ErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'not_found_error'
  | 'rate_limit_error' | 'api_error' | 'upstream_error' | 'timeout_error' | 'service_unavailable'

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: ErrorType,
    readonly code: string | null = null,
    readonly param: string | null = null,
    /** Extra response headers (Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'GatewayError'
  }

  toJSON() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } }
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new GatewayError(400, message, 'invalid_request_error', code, param)

/** The first zod issue as a 400 naming its field, e.g. `messages[0].role`. */
export function fromZodError(error: z.ZodError): GatewayError {
  const issue = error.issues[0]!
  const param = issue.path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '')
  const message = issue.code === 'invalid_type' && issue.input === undefined
    ? `Missing required parameter: '${param}'.`
    : `Invalid value for '${param || 'body'}': ${issue.message}`
  return new GatewayError(400, message, 'invalid_request_error', issue.code === 'invalid_type' && issue.input === undefined ? 'missing_required_parameter' : 'invalid_value', param || null)
}

/** Anything unexpected becomes a bland 500: never a stack trace or internal detail. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error
  if (error instanceof z.ZodError) return fromZodError(error)
  return new GatewayError(500, 'The gateway had an internal error while processing the request.', 'api_error', 'internal_error')
}

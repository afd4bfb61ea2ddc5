// Gateway errors (HTTP status, message, OpenAI error type) → Anthropic's error body and vocabulary,
// so the Anthropic SDKs raise the error class their users expect.
export type AnthropicErrorType =
  | 'invalid_request_error' | 'authentication_error' | 'billing_error' | 'permission_error' | 'not_found_error'
  | 'request_too_large' | 'rate_limit_error' | 'api_error' | 'timeout_error' | 'overloaded_error'

const BY_STATUS: Record<number, AnthropicErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
}

// For errors without a status (in-stream errors) the OpenAI type decides.
const BY_OPENAI_TYPE: Record<string, AnthropicErrorType> = {
  invalid_request_error: 'invalid_request_error',
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  not_found_error: 'not_found_error',
  rate_limit_error: 'rate_limit_error',
  timeout_error: 'timeout_error',
  service_unavailable: 'overloaded_error',
}

export function anthropicErrorType(status: number | undefined, openaiType?: string | null): AnthropicErrorType {
  if (status && BY_STATUS[status]) return BY_STATUS[status]
  if (openaiType && BY_OPENAI_TYPE[openaiType]) return BY_OPENAI_TYPE[openaiType]
  return status && status < 500 ? 'invalid_request_error' : 'api_error'
}

export function toAnthropicError(status: number, message: string, openaiType?: string | null) {
  return { type: 'error' as const, error: { type: anthropicErrorType(status, openaiType), message } }
}

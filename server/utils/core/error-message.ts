// The text of a caught value for a log line or a report: an Error's message, anything else as a string.

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

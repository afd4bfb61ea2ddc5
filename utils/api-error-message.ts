// The text a toast or form shows for a failed admin API call.
/** The message of an API error ({"error":{"message"}}), or of any other failure. */
export function apiErrorMessage(error: unknown): string {
  const e = error as { data?: { error?: { message?: string } }, statusMessage?: string, message?: string } | undefined
  return e?.data?.error?.message ?? e?.statusMessage ?? e?.message ?? 'Something went wrong.'
}

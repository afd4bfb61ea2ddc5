// The request fields each compatible connection has refused (learned from a 400 that named them):
// they are left out of every later request to that connection. Kept in memory per instance; a
// changed connection starts afresh.
const refused = new Map<string, Set<string>>()

export function unsupportedFields(connection: string): readonly string[] {
  return [...refused.get(connection) ?? []]
}

export function rememberUnsupportedField(connection: string, field: string): void {
  let fields = refused.get(connection)
  if (!fields) refused.set(connection, fields = new Set())
  fields.add(field)
}

export function forgetUnsupportedFields(): void {
  refused.clear()
}

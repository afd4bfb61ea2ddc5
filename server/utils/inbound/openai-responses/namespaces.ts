// Namespace tools (a Responses API `namespace` tool groups function tools under one name; Codex CLI
// sends its MCP and app tools so) for providers that have no namespaces: each function inside is sent
// as one function named `<namespace>__<name>`, and a call of that name comes back as a function_call
// item with the function's own `name` and its `namespace`, as OpenAI answers it.

/** Between namespace and name: characters every provider allows in a function name. */
const SEPARATOR = '__'

export interface CallName {
  name: string
  namespace?: string
}

export const flatName = ({ name, namespace }: CallName): string => (namespace ? `${namespace}${SEPARATOR}${name}` : name)

interface NamespaceTool { type: 'namespace', name: string, tools?: { name?: string }[] }

const isNamespace = (t: unknown): t is NamespaceTool => (t as { type?: unknown })?.type === 'namespace'

/** The request's flattened names → the namespaced names they stand for. */
export function namespacedNames(tools: readonly unknown[] | undefined): Map<string, CallName> {
  const names = new Map<string, CallName>()
  for (const t of tools ?? []) {
    if (!isNamespace(t)) continue
    for (const f of t.tools ?? []) if (typeof f.name === 'string') names.set(flatName({ namespace: t.name, name: f.name }), { namespace: t.name, name: f.name })
  }
  return names
}

/** A called function's name as the client knows it. */
export const callName = (flat: string, names: Map<string, CallName>): CallName => names.get(flat) ?? { name: flat }

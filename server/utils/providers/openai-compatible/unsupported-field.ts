// Reading which field a compatible server refused. Servers word it differently: vLLM "Extra inputs
// are not permitted" with the field in `loc`, llama.cpp and others "Unrecognized request argument
// supplied: stream_options", "unknown field `service_tier`", "parallel_tool_calls is not supported".
// The field is taken to be a top-level field of the request sent that the message names, when the
// message says it is unknown or unsupported. Fields the request cannot do without are never dropped.

const UNKNOWN = /unknown|unrecogni[sz]ed|unsupported|not supported|not (permitted|allowed)|extra (inputs|fields)|unexpected|invalid (field|parameter|argument|key)|does not support/i
const ESSENTIAL = new Set(['model', 'messages', 'input', 'stream'])

export function unsupportedField(failureMessage: string, sentBody: string): string | undefined {
  if (!UNKNOWN.test(failureMessage)) return undefined
  let fields: string[]
  try {
    fields = Object.keys(JSON.parse(sentBody))
  }
  catch {
    return undefined
  }
  const named = fields.filter(f => !ESSENTIAL.has(f) && new RegExp(`(^|[^\\w])${f}([^\\w]|$)`).test(failureMessage))
  // The longest name first: `stream_options` rather than a shorter field it contains.
  return named.sort((a, b) => b.length - a.length)[0]
}

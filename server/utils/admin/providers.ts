// The admin API's provider connections: what PUT /api/admin/providers/:name takes and how it becomes
// a stored connection. The official providers (`openai`, `anthropic`, `google`) are connections of
// their own type and take a key as before; any other name is a new connection of the type it gives.
import { z } from 'zod'
import { isOfficial } from '../gateway/connections'
import { CONNECTION_TYPES } from '../providers'
import { PRESET_NAMES, PRESETS } from '../providers/openai-compatible/presets'
import { ConnectionName } from '../registry/schema'
import type { ConnectionInput } from '../store/connections'
import { GatewayError } from '../core/errors'

/** Headers the HTTP client owns: a connection may not set them. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade'])

const ExtraHeaders = z.record(
  z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name is letters, digits and dashes').transform(h => h.toLowerCase()).refine(h => !RESERVED_HEADERS.has(h), 'this header is set by the gateway'),
  z.string().min(1).max(4096).regex(/^[^\r\n]*$/, 'a header value is one line'),
).refine(h => Object.keys(h).length <= 20, 'at most 20 headers')

export const ConnectionBody = z.object({
  type: z.enum(CONNECTION_TYPES).optional(),
  preset: z.enum(PRESET_NAMES).optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).nullish(),
  apiKey: z.string().trim().min(1).max(4096).optional(),
  headers: ExtraHeaders.optional(),
}).strict()
export type ConnectionBody = z.infer<typeof ConnectionBody>

const invalid = (message: string, param: string) => new GatewayError(400, message, 'invalid_request_error', 'invalid_connection', param)

/** A connection name from the URL; an unknown one is a 404 as before connections existed. */
export function providerParam(value: string): string {
  if (!ConnectionName.safeParse(value).success) throw unknownProvider(value)
  return value
}

export function unknownProvider(name: string) {
  return new GatewayError(404, `Unknown provider '${name}': use openai, anthropic or google, or create a connection with a type (PUT /api/admin/providers/${name} {"type": …}).`, 'not_found_error', 'unknown_provider')
}

/** The connection a PUT body describes, checked against its name and type. */
export function connectionInput(name: string, body: ConnectionBody): ConnectionInput {
  const official = isOfficial(name)
  if (!official && !body.type) throw unknownProvider(name)
  const type = body.type ?? name
  if (official && type !== name) throw invalid(`The connection '${name}' is ${name}'s own; give another name to a connection of type ${type}.`, 'type')
  if (body.preset && type !== 'openai-compatible') throw invalid('A preset applies to the openai-compatible type only.', 'preset')
  const compatible = type === 'openai-compatible' || type === 'anthropic-compatible'
  if (!compatible && !body.apiKey) throw invalid(`A ${type} connection needs an apiKey.`, 'apiKey')
  const baseUrl = body.baseUrl ?? (body.preset ? PRESETS[body.preset] : null)
  if (compatible && !baseUrl) throw invalid(`A ${type} connection needs a baseUrl (or a preset: ${PRESET_NAMES.join(', ')}).`, 'baseUrl')
  return { name, type, preset: body.preset ?? null, baseUrl, apiKey: body.apiKey ?? null, headers: body.headers ?? {} }
}

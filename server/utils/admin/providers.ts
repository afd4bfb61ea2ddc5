import { z } from 'zod'
import { ProviderId } from '../registry/schema'
import { GatewayError } from '../core/errors'

export const ProviderCredentialInput = z.object({
  apiKey: z.string().trim().min(1).max(4096),
  baseUrl: z.url({ protocol: /^https?$/ }).nullish(),
}).strict()

export function providerParam(value: string) {
  const parsed = ProviderId.safeParse(value)
  if (!parsed.success) throw new GatewayError(404, `Unknown provider '${value}': use one of ${ProviderId.options.join(', ')}.`, 'not_found_error', 'unknown_provider')
  return parsed.data
}

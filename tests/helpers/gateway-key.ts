// A gateway key as the store returns it, for unit tests of what is checked against one.
import type { GatewayKey } from '../../server/utils/store/keys'

let made = 0

/** A fresh key (its own id) with no limits unless `over` sets them. */
export function gatewayKey(over: Partial<GatewayKey> = {}): GatewayKey {
  return {
    id: `key_unit${++made}`, name: 'k', keyHint: 'sk-gw-…x', budgetNanoUsd: null, spentNanoUsd: 0, rpm: null, tpm: null, models: null,
    expiresAt: null, revokedAt: null, lastUsedAt: null, createdAt: 0, ...over,
  }
}

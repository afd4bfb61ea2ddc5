// The admin view of a gateway key: everything but its secret and digest.
import type { GatewayKey } from '../store/keys'

export function keyView(k: GatewayKey) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return {
    id: k.id,
    name: k.name,
    keyHint: k.keyHint,
    budgetUsd: k.budgetUsd,
    spentUsd: k.spentUsd,
    rpm: k.rpm,
    tpm: k.tpm,
    models: k.models,
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    lastUsedAt: iso(k.lastUsedAt),
    createdAt: iso(k.createdAt),
    status: k.revokedAt !== null ? 'revoked' : k.expiresAt !== null && k.expiresAt <= Date.now() ? 'expired' : 'active',
  }
}

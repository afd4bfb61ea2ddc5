// The admin view of a gateway key: everything but its secret and digest.
import type { GatewayKey } from '../store/keys'
import { nanoToUsd } from '../core/money'

export function keyView(k: GatewayKey) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return {
    id: k.id,
    name: k.name,
    keyHint: k.keyHint,
    budgetUsd: k.budgetNanoUsd === null ? null : nanoToUsd(k.budgetNanoUsd),
    spentUsd: nanoToUsd(k.spentNanoUsd),
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

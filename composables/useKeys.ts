// The gateway keys (/api/admin/keys), shared by the keys page, the request filters and the overview.
import type { GatewayKeyView } from '~/types/api'

export function useKeys() {
  return useApiFetch<{ data: GatewayKeyView[] }>('/api/admin/keys', { key: 'keys', default: () => ({ data: [] }) })
}

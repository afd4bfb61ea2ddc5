// The pricing registry (/api/admin/models), shared by every component that lists models.
import type { Registry } from '~/types/api'

export function useRegistry() {
  return useApiFetch<Pick<Registry, 'models' | 'sources'> & { updatedAt: string | null }>('/api/admin/models', {
    key: 'registry',
    default: () => ({ models: [], sources: {}, updatedAt: null }),
  })
}

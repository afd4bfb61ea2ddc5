// The admin API's payloads, as the server defines them (type-only imports: nothing of the server is
// bundled into the dashboard).
import type { adminView } from '~~/server/utils/admin/accounts'
import type { keyView } from '~~/server/utils/admin/keys'
import type { ConnectionTest } from '~~/server/utils/admin/provider-test'
import type { Series } from '~~/server/utils/admin/stats'
import type { providerStatus } from '~~/server/utils/gateway/connections'
import type { UpdateSummary } from '~~/server/utils/registry/update'
import type { TaskInfo } from '~~/server/utils/tasks/catalog'

export type { ModelEntry, Registry } from '~~/server/utils/registry/schema'
export type { RequestLogEntry } from '~~/server/utils/store/request-log'
export type { ConnectionTest, Series, TaskInfo, UpdateSummary }

export type AdminAccountView = ReturnType<typeof adminView>
export type GatewayKeyView = ReturnType<typeof keyView>
export type ProviderStatus = ReturnType<typeof providerStatus>[number]

export interface UsageRow {
  day?: string
  model?: string
  key?: string
  provider?: string
  requests: number
  errors: number
  promptTokens: number
  cachedTokens: number
  completionTokens: number
  costUsd: number
}

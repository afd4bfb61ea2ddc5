// The /metrics exposition: request series (gateway/request-metrics.ts), backup freshness, and gauges read
// at scrape time — registry freshness, open circuits, and each key's budget use (key ids, not secrets).
import { Gauge } from 'prom-client'
import { openCircuits } from '../gateway/circuit'
import '../gateway/request-metrics'
import { currentRegistry } from '../registry/store'
import { metricsRegistry } from '../shared/metrics-registry'
import { listKeys } from '../store/keys'
import { backupMetrics } from './backup-metrics'

const registers = [metricsRegistry]
for (const metric of backupMetrics()) metricsRegistry.registerMetric(metric)

new Gauge({
  name: 'gateway_registry_last_update_timestamp_seconds',
  help: 'When each provider\'s prices were last updated successfully (Unix time)',
  labelNames: ['provider'],
  registers,
  collect() {
    this.reset()
    for (const [provider, s] of Object.entries(currentRegistry()?.sources ?? {})) {
      if (s.lastSuccessAt) this.set({ provider }, Date.parse(s.lastSuccessAt) / 1000)
    }
  },
})

new Gauge({
  name: 'gateway_circuit_open',
  help: 'Whether a provider/model circuit is open (1) or half-open (0.5); closed circuits are absent',
  labelNames: ['provider', 'model'],
  registers,
  collect() {
    this.reset()
    for (const c of openCircuits()) this.set({ provider: c.provider, model: c.model }, c.state === 'open' ? 1 : 0.5)
  },
})

new Gauge({
  name: 'gateway_key_budget_used_ratio',
  help: 'Share of its budget that each active key with a budget has spent',
  labelNames: ['key_id'],
  registers,
  async collect() {
    this.reset()
    const now = Date.now()
    // A scrape must not fail while the database is unavailable: the series are then missing.
    for (const k of await listKeys().catch(() => [])) {
      if (k.budgetNanoUsd === null || k.revokedAt !== null || (k.expiresAt !== null && k.expiresAt <= now)) continue
      this.set({ key_id: k.id }, k.budgetNanoUsd > 0 ? k.spentNanoUsd / k.budgetNanoUsd : 1)
    }
  },
})

/** The exposition text and its content type. */
export async function renderMetrics(): Promise<{ contentType: string, text: string }> {
  return { contentType: metricsRegistry.contentType, text: await metricsRegistry.metrics() }
}

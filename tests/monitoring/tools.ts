// Shared by the monitoring tests: Debian's Prometheus tools (skipped with a note when missing), scratch
// copies of docker/monitoring's Prometheus setup laid out as in the container, and the metric names
// that the alerts and the dashboard use.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse, stringify } from 'yaml'

export const ROOT = resolve(__dirname, '../..')
export const MONITORING = join(ROOT, 'docker/monitoring')

export const readText = (rel: string) => readFileSync(join(ROOT, rel), 'utf8')
export const readYaml = (rel: string) => parse(readText(rel), { merge: true })

/** A program's path when it is installed; otherwise undefined, and a note on how to get it. */
export function tool(name: string, debianPackage: string): string | undefined {
  const path = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
  if (!path) console.warn(`[monitoring] ${name} is not installed: its tests are skipped (apt-get install -y ${debianPackage})`)
  return path || undefined
}

export function run(bin: string, args: string[]): SpawnSyncReturns<string> & { output: string } {
  const res = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 })
  return Object.assign(res, { output: `${res.stdout}${res.stderr}` })
}

export interface PrometheusScratch {
  dir: string
  config: string
}

/**
 * docker/monitoring's Prometheus setup in a scratch directory, as compose mounts it in
 * /etc/prometheus: prometheus.yml, alerts.yml, targets/gateway.yml listing `targets`, and the
 * METRICS_TOKEN secret file. `live` keeps only the gateway job, scraped and evaluated every second.
 */
export function prometheusScratch(opts: { targets: string[], token: string, live?: boolean }): PrometheusScratch {
  const dir = mkdtempSync(join(tmpdir(), 'gw-prometheus-'))
  const config = readYaml('docker/monitoring/prometheus.yml')
  const gatewayJob = config.scrape_configs.find((j: any) => j.job_name === 'gateway')
  gatewayJob.authorization.credentials_file = join(dir, 'metrics_token')
  if (opts.live) {
    config.global = { scrape_interval: '1s', evaluation_interval: '1s' }
    config.scrape_configs = [gatewayJob]
    delete config.alerting
  }
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config))
  copyFileSync(join(MONITORING, 'alerts.yml'), join(dir, 'alerts.yml'))
  mkdirSync(join(dir, 'targets'))
  writeFileSync(join(dir, 'targets/gateway.yml'), stringify([{ targets: opts.targets }]))
  writeFileSync(join(dir, 'metrics_token'), opts.token)
  return { dir, config: join(dir, 'prometheus.yml') }
}

export const alertRules = (): any[] => readYaml('docker/monitoring/alerts.yml').groups.flatMap((g: any) => g.rules)

export const dashboard = () => JSON.parse(readText('docker/monitoring/grafana/dashboards/llm-gateway.json'))

/** The PromQL expressions of the dashboard's Prometheus panels and variables. */
export function dashboardExpressions(): string[] {
  const d = dashboard()
  const panels = d.panels.flatMap((p: any) => (p.targets ?? []).filter((t: any) => t.datasource?.type === 'prometheus').map((t: any) => t.expr))
  const variables = d.templating.list.map((v: any) => v.query.query)
  return [...panels, ...variables]
}

/** The gateway's own metric names (gateway_…) used in expressions. */
export const gatewayMetricNames = (exprs: string[]) => [...new Set(exprs.flatMap(e => e.match(/\bgateway_\w+/g) ?? []))].sort()

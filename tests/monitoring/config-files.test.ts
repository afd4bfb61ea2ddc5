// The monitoring stack's files in docker/monitoring/, checked with Debian's promtool and amtool where
// installed, and the compose profile, Grafana provisioning and Alloy pipeline that tie them together.
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { alertRules, dashboard, dashboardExpressions, gatewayMetricNames, MONITORING, prometheusScratch, readText, readYaml, ROOT, run, tool } from './tools'

const promtool = tool('promtool', 'prometheus')
const amtool = tool('amtool', 'prometheus-alertmanager')

describe.skipIf(!promtool)('Prometheus config and alerts (promtool)', () => {
  it('prometheus.yml parses, and is valid as compose mounts it for one gateway and for two', () => {
    const syntax = run(promtool!, ['check', 'config', '--syntax-only', join(MONITORING, 'prometheus.yml')])
    expect(syntax.status, syntax.output).toBe(0)
    for (const mode of ['single', 'scale']) {
      const targets = readYaml(`docker/monitoring/targets/${mode}.yml`)[0].targets
      const scratch = prometheusScratch({ targets, token: '' })
      const full = run(promtool!, ['check', 'config', scratch.config])
      rmSync(scratch.dir, { recursive: true, force: true })
      expect(full.status, full.output).toBe(0)
      expect(full.output).toMatch(/SUCCESS: \d+ rules found/)
    }
  })

  it('targets: the gateway alone, or gateway and gateway-2 in scale mode', () => {
    expect(readYaml('docker/monitoring/targets/single.yml')).toEqual([{ targets: ['gateway:3000'] }])
    expect(readYaml('docker/monitoring/targets/scale.yml')).toEqual([{ targets: ['gateway:3000', 'gateway-2:3000'] }])
  })

  it('alerts.yml passes promtool check rules with every lint', () => {
    const res = run(promtool!, ['check', 'rules', '--lint=all', '--lint-fatal', join(MONITORING, 'alerts.yml')])
    expect(res.status, res.output).toBe(0)
  })

  it('alerts.yml passes its unit tests (alerts.test.yml)', () => {
    const res = run(promtool!, ['test', 'rules', join(MONITORING, 'alerts.test.yml')])
    expect(res.status, res.output).toBe(0)
    expect(res.output).toContain('SUCCESS')
  })
})

describe('alert rules', () => {
  const rules = alertRules()
  const tests = readYaml('docker/monitoring/alerts.test.yml').tests as any[]
  const runbooks = readText('docs/monitoring.md')

  it('cover what an operator needs', () => {
    expect(rules.map(r => r.alert).sort()).toEqual([
      'GatewayBackupMissing', 'GatewayBackupUploadFailed', 'GatewayCircuitOpen', 'GatewayHighErrorRate', 'GatewayHighLatency',
      'GatewayInstanceDown', 'GatewayKeyNearBudget', 'GatewayRateLimitedSurge', 'GatewayRegistryNeverUpdated', 'GatewayRegistryStale',
      'GatewayUnpricedRequests', 'GatewayUpstreamAuthFailed', 'GatewayUpstreamErrors', 'MonitoringTargetDown',
    ])
  })

  it('each has a severity, a summary and a runbook documented in docs/monitoring.md', () => {
    for (const r of rules) {
      expect(['critical', 'warning', 'info'], r.alert).toContain(r.labels?.severity)
      expect(r.annotations.summary, r.alert).toBeTruthy()
      expect(r.annotations.runbook, r.alert).toMatch(new RegExp(`docs/monitoring\\.md#${r.alert.toLowerCase()}$`))
      expect(runbooks, r.alert).toMatch(new RegExp(`^#+ ${r.alert}$`, 'm'))
    }
  })

  it('each is seen firing in a unit test', () => {
    const fired = new Set(tests.flatMap(t => t.alert_rule_test.filter((a: any) => a.exp_alerts?.length).map((a: any) => a.alertname)))
    for (const r of rules) expect(fired, r.alert).toContain(r.alert)
  })
})

describe.skipIf(!amtool)('Alertmanager config (amtool)', () => {
  const config = join(MONITORING, 'alertmanager.yml')

  it('passes amtool check-config', () => {
    const res = run(amtool!, ['check-config', config])
    expect(res.status, res.output).toBe(0)
    expect(res.output).toContain('SUCCESS')
  })

  it('routes critical to PagerDuty and Slack, warning to Slack, info and the rest to email', () => {
    const route = (severity: string) => run(amtool!, ['config', 'routes', 'test', `--config.file=${config}`, `severity=${severity}`, 'alertname=Any']).stdout.trim()
    expect(route('critical')).toBe('pagerduty,slack')
    expect(route('warning')).toBe('slack')
    expect(route('info')).toBe('email')
    expect(route('unknown')).toBe('email')
  })
})

describe('Alertmanager secrets', () => {
  it('come from files under /run/secrets, never from the config', () => {
    const text = readText('docker/monitoring/alertmanager.yml')
    const am = parse(text)
    expect(am.global.slack_api_url_file).toBe('/run/secrets/alert_slack_webhook_url')
    expect(am.global.smtp_auth_password_file).toBe('/run/secrets/alert_smtp_password')
    const pagerduty = am.receivers.find((r: any) => r.name === 'pagerduty').pagerduty_configs[0]
    expect(pagerduty.routing_key_file).toBe('/run/secrets/alert_pagerduty_routing_key')
    expect(text).not.toMatch(/^\s*(api_url|slack_api_url|routing_key|service_key|auth_password|smtp_auth_password):/m)
    expect(text).not.toMatch(/hooks\.slack\.com/)
  })
})

describe('docker-compose.yml monitoring profile', () => {
  const compose = readYaml('docker-compose.yml')
  const names = ['prometheus', 'alertmanager', 'loki', 'alloy', 'grafana']
  const env = Object.fromEntries(readText('.env.example').split('\n').map(l => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l)).filter(m => m).map(m => [m![1], m![2]]))

  it('runs Prometheus, Alertmanager, Loki, Alloy and Grafana only with --profile monitoring, on pinned images', () => {
    for (const name of names) {
      const s = compose.services[name]
      expect(s, name).toBeDefined()
      expect(s.profiles, name).toEqual(['monitoring'])
      expect(s.image, name).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/)
      expect(s.restart, name).toBe('unless-stopped')
      for (const port of s.ports ?? []) expect(String(port), name).toMatch(/^127\.0\.0\.1:/)
    }
  })

  it('mounts files of docker/monitoring that exist, for either GATEWAY_UPSTREAM', () => {
    for (const upstream of ['single', 'scale']) {
      for (const name of names) {
        for (const volume of compose.services[name].volumes as string[]) {
          const source = volume.replace('${GATEWAY_UPSTREAM:-single}', upstream).split(':')[0]!
          if (source.startsWith('./')) expect(existsSync(join(ROOT, source)), source).toBe(true)
        }
      }
    }
    expect(compose.services.prometheus.volumes).toContain('./docker/monitoring/targets/${GATEWAY_UPSTREAM:-single}.yml:/etc/prometheus/targets/gateway.yml:ro')
  })

  it('gives each service the secret files its config reads, from .env variables that ship empty', () => {
    const reads: Record<string, string> = {
      prometheus: readText('docker/monitoring/prometheus.yml'),
      alertmanager: readText('docker/monitoring/alertmanager.yml'),
      grafana: JSON.stringify(compose.services.grafana.environment),
    }
    for (const [service, text] of Object.entries(reads)) {
      const wanted = [...text.matchAll(/\/run\/secrets\/(\w+)/g)].map(m => m[1]!)
      expect(wanted.length, service).toBeGreaterThan(0)
      expect(compose.services[service].secrets.sort(), service).toEqual([...new Set(wanted)].sort())
      for (const secret of wanted) {
        const variable = compose.secrets[secret]?.environment
        expect(variable, secret).toMatch(/^[A-Z_]+$/)
        expect(env[variable], variable).toBe('')
      }
    }
  })

  it('keeps its data in named volumes', () => {
    for (const volume of ['prometheus-data', 'alertmanager-data', 'loki-data', 'alloy-data', 'grafana-data']) {
      expect(Object.keys(compose.volumes), volume).toContain(volume)
    }
  })
})

describe('Grafana and Loki', () => {
  const sources = readYaml('docker/monitoring/grafana/provisioning/datasources/datasources.yml').datasources
  const d = dashboard()

  it('provisions the Prometheus and Loki data sources the dashboard uses, and loads the dashboard from its mount', () => {
    expect(sources.map((s: any) => [s.type, s.uid, s.url])).toEqual([['prometheus', 'prometheus', 'http://prometheus:9090'], ['loki', 'loki', 'http://loki:3100']])
    const uids = new Set(sources.map((s: any) => s.uid))
    for (const p of d.panels.filter((p: any) => p.type !== 'row')) {
      expect(uids, p.title).toContain(p.datasource.uid)
      for (const t of p.targets) expect(uids, p.title).toContain(t.datasource.uid)
    }
    const provider = readYaml('docker/monitoring/grafana/provisioning/dashboards/dashboards.yml').providers[0]
    expect(readYaml('docker-compose.yml').services.grafana.volumes).toContain(`./docker/monitoring/grafana/dashboards:${provider.options.path}:ro`)
  })

  it('dashboard: requests, errors, latency percentiles, TTFT, tokens and cost, limits, registry and backup freshness, logs', () => {
    expect(d.uid).toBe('llm-gateway')
    expect(new Set(d.panels.map((p: any) => p.id)).size).toBe(d.panels.length)
    expect(gatewayMetricNames(dashboardExpressions())).toEqual(expect.arrayContaining([
      'gateway_requests_total', 'gateway_request_duration_seconds_bucket', 'gateway_ttft_seconds_bucket', 'gateway_tokens_total',
      'gateway_cost_usd_total', 'gateway_upstream_errors_total', 'gateway_circuit_open', 'gateway_rate_limited_total',
      'gateway_key_budget_used_ratio', 'gateway_registry_last_update_timestamp_seconds', 'gateway_backup_last_success_timestamp_seconds',
      'gateway_backup_upload_failures_total',
    ]))
    const exprs = dashboardExpressions().join('\n')
    for (const phi of ['0.5', '0.95', '0.99']) expect(exprs).toContain(`histogram_quantile(${phi}, sum by (le) (rate(gateway_request_duration_seconds_bucket`)
    expect(d.panels.some((p: any) => p.type === 'logs' && p.datasource.uid === 'loki')).toBe(true)
  })

  it('Alloy ships the gateway containers\' JSON lines to Loki with level and provider labels only', () => {
    const alloy = readText('docker/monitoring/alloy.alloy').replace(/^\s*\/\/.*$/gm, '')
    expect(alloy).toMatch(/loki\.source\.docker "gateway" \{[^}]*targets\s*=\s*discovery\.relabel\.gateway\.output/)
    expect(alloy).toMatch(/regex\s*=\s*"gateway\(-2\)\?"/)
    expect(alloy).toMatch(/stage\.json \{\s*expressions = \{ level = "", provider = "", time = "" \}/)
    const labels = /stage\.labels \{\s*values = \{([^}]*)\}/.exec(alloy)?.[1] ?? ''
    expect(labels.split(',').map(l => l.split('=')[0]!.trim()).sort()).toEqual(['level', 'provider'])
    expect(alloy).toMatch(/stage\.replace \{\s*expression = "\(sk-admin-/)
    expect(alloy).toContain('url = "http://loki:3100/loki/api/v1/push"')
    // Log fields that are identifiers or secrets never become labels.
    for (const field of ['keyId', 'requestId', 'model', 'path']) expect(labels).not.toContain(field)
  })

  it('Loki keeps 31 days with the compactor deleting older chunks', () => {
    const loki = readYaml('docker/monitoring/loki.yml')
    expect(loki.limits_config.retention_period).toBe('744h')
    expect(loki.compactor.retention_enabled).toBe(true)
    expect(loki.auth_enabled).toBe(false)
  })
})

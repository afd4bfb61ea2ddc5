// The gateway's metrics as the monitoring stack uses them: every metric that alerts.yml and the
// dashboard name exists in /metrics after traffic, and Debian's Prometheus, run with docker/monitoring's
// config on a random loopback port, scrapes the gateway with METRICS_TOKEN, loads the alerts and
// answers every dashboard query.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { type FakeCompatible, startFakeCompatible } from '../helpers/fake-openai-compatible'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'
import { freePort } from '../helpers/net'
import { alertRules, dashboardExpressions, gatewayMetricNames, type PrometheusScratch, prometheusScratch, ROOT, tool } from './tools'

const TOKEN = 'metrics-token-for-prometheus'
const prometheusBin = tool('prometheus', 'prometheus')

let fake: FakeOpenAI
let ollama: FakeCompatible
let gw: GatewayProcess
let budgetKeyId: string

const chat = (client: OpenAI, model = 'gpt-4o-mini') => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello metrics' }] })

/**
 * Requests that touch every series: success, stream, 404, a spent budget, a key's rate limit, an
 * upstream failure, a model served without a price (UNPRICED_MODELS=allow).
 */
async function sendTraffic() {
  const key = async (body: object) => (await gw.admin('POST', '/api/admin/keys', { name: 'monitoring', ...body })).body
  const client = (k: { key: string }) => new OpenAI({ apiKey: k.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
  const plain = client(await key({}))
  await chat(plain)
  for await (const _ of await plain.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'stream' }], stream: true }));
  await chat(plain, 'no-such-model').catch(() => {})
  // A budget spent to the last cent: one request, then the budget lowered to what it cost; the next is refused.
  const budget = await key({ budgetUsd: 1 })
  budgetKeyId = budget.id
  await chat(client(budget))
  const spent = (await gw.admin('GET', `/api/admin/keys/${budget.id}`)).body.spentUsd
  await gw.admin('PATCH', `/api/admin/keys/${budget.id}`, { budgetUsd: spent })
  await chat(client(budget)).catch(() => {})
  const limited = client(await key({ rpm: 1 }))
  await chat(limited)
  await chat(limited).catch(() => {})
  // A discovered model of an Ollama connection, which nobody priced.
  await gw.admin('PUT', '/api/admin/providers/ollama', { type: 'openai-compatible', preset: 'ollama', baseUrl: ollama.url })
  await gw.admin('POST', '/api/admin/providers/ollama/discover')
  await chat(plain, 'ollama/llama3.3')
  // One upstream failure opens the circuit (CIRCUIT_FAILURE_THRESHOLD=1).
  fake.faults.statuses.push({ status: 500 })
  await chat(plain).catch(() => {})
  // Spend reaches the database in the next write of the request log.
  await new Promise(r => setTimeout(r, 500))
}

beforeAll(async () => {
  ;[fake, ollama] = await Promise.all([startFakeOpenAI(), startFakeCompatible({ behaviour: 'ollama' })])
  // A registry whose prices were updated once (the shipped seed never was), so the freshness gauge has series.
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-monitoring-'))
  const registry = JSON.parse(readFileSync(join(ROOT, 'data/models.json'), 'utf8'))
  for (const source of Object.values<any>(registry.sources)) source.lastSuccessAt = source.fetchedAt
  mkdirSync(join(dataDir, 'registry'))
  writeFileSync(join(dataDir, 'registry/models.json'), JSON.stringify(registry))
  gw = await startGateway({
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.url,
    METRICS_TOKEN: TOKEN,
    UPSTREAM_MAX_RETRIES: '0',
    CIRCUIT_FAILURE_THRESHOLD: '1',
    CIRCUIT_COOLDOWN_MS: '600000',
    UNPRICED_MODELS: 'allow',
  }, { dataDir })
  await sendTraffic()
})

afterAll(async () => {
  await gw?.stop()
  if (gw) removeDir(gw.dataDir)
  await Promise.all([fake?.close(), ollama?.close()])
})

describe('metrics used by the monitoring stack', () => {
  it('every metric that alerts.yml and the dashboard name is in /metrics after traffic', async () => {
    const text = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text()
    const exposed = new Set(text.split('\n').filter(l => l && !l.startsWith('#')).map(l => /^[^{ ]+/.exec(l)![0]))
    const named = gatewayMetricNames([...alertRules().map(r => r.expr), ...dashboardExpressions()])
    expect(named.length).toBeGreaterThanOrEqual(12)
    expect(named.filter(n => !exposed.has(n))).toEqual([])
    // GatewayBackupMissing also reads the process start time.
    expect(exposed).toContain('process_start_time_seconds')
    expect(text).toMatch(new RegExp(`gateway_key_budget_used_ratio\\{key_id="${budgetKeyId}"\\} \\d`))
    expect(text).toContain('gateway_circuit_open{provider="openai",model="gpt-4o-mini"} 1')
    expect(text).toContain('gateway_unpriced_requests_total{provider="ollama",model="ollama/llama3.3"} 1')
    expect(text).toMatch(/gateway_backup_last_success_timestamp_seconds 0\n/)
    expect(text).toMatch(/gateway_backup_upload_failures_total 0\n/)
  })
})

describe.skipIf(!prometheusBin)('Debian\'s Prometheus scraping the gateway', () => {
  let prometheus: ChildProcess
  let scratch: PrometheusScratch
  let api: string
  let log = ''

  const query = async (q: string) => {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`)
    return res.json() as Promise<{ status: string, error?: string, data: { result: any[] } }>
  }
  async function eventually<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 30_000
    for (;;) {
      const value = await fn().catch(() => undefined)
      if (value !== undefined) return value
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; Prometheus said:\n${log}`)
      await new Promise(r => setTimeout(r, 250))
    }
  }

  beforeAll(async () => {
    const port = await freePort()
    api = `http://127.0.0.1:${port}`
    scratch = prometheusScratch({ targets: [new URL(gw.url).host], token: TOKEN, live: true })
    prometheus = spawn(prometheusBin!, [
      `--config.file=${scratch.config}`,
      `--storage.tsdb.path=${join(scratch.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] })
    prometheus.stdout!.on('data', (d) => { log += d })
    prometheus.stderr!.on('data', (d) => { log += d })
    await eventually('Prometheus to be ready', async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined))
  })

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise(r => prometheus.once('exit', r))
      prometheus.kill('SIGTERM')
      await exited
    }
    if (scratch) rmSync(scratch.dir, { recursive: true, force: true })
  })

  it('scrapes /metrics with the token file and finds the request series', async () => {
    const series = await eventually('gateway_requests_total', async () => {
      const r = (await query('gateway_requests_total')).data.result
      return r.length ? r : undefined
    })
    const instance = new URL(gw.url).host
    expect(series.map(s => s.metric)).toContainEqual({ __name__: 'gateway_requests_total', job: 'gateway', instance, provider: 'openai', model: 'gpt-4o-mini', status: '200' })
    const targets = (await (await fetch(`${api}/api/v1/targets`)).json()).data.activeTargets
    expect(targets.map((t: any) => [t.labels.job, t.labels.instance, t.health])).toEqual([['gateway', instance, 'up']])
  }, 60_000)

  it('loads and evaluates every alert; a spent budget and an open circuit are pending', async () => {
    const rules = await eventually('every rule evaluated', async () => {
      const groups = (await (await fetch(`${api}/api/v1/rules`)).json()).data.groups
      const all = groups.flatMap((g: any) => g.rules)
      return all.length && all.every((r: any) => r.health === 'ok') ? all : undefined
    })
    expect(rules.map((r: any) => r.name).sort()).toEqual(alertRules().map(r => r.alert).sort())
    const pending = await eventually('pending alerts', async () => {
      const alerts = (await (await fetch(`${api}/api/v1/alerts`)).json()).data.alerts
      const names = alerts.map((a: any) => a.labels.alertname)
      return names.includes('GatewayKeyNearBudget') && names.includes('GatewayCircuitOpen') ? alerts : undefined
    })
    expect(pending.find((a: any) => a.labels.alertname === 'GatewayKeyNearBudget')).toMatchObject({ state: 'pending', labels: { key_id: budgetKeyId, severity: 'info' } })
    expect(pending.find((a: any) => a.labels.alertname === 'GatewayCircuitOpen')).toMatchObject({ state: 'pending', labels: { provider: 'openai', model: 'gpt-4o-mini' } })
  }, 60_000)

  it('answers every dashboard query, with data for traffic, latency, cost and budgets', async () => {
    const grafana = (e: string) => e.replaceAll('$instance', '.*').replaceAll('$provider', '.*').replaceAll('$__rate_interval', '1m').replaceAll('$__range', '5m')
    const panels = dashboardExpressions().filter(e => !e.startsWith('label_values('))
    // rate() needs two samples in its window.
    await eventually('three scrapes', async () => ((await query('min(count_over_time(gateway_requests_total[1m])) >= 3')).data.result.length ? true : undefined))
    const answers = await Promise.all(panels.map(async e => [e, await query(grafana(e))] as const))
    for (const [expr, answer] of answers) expect(answer.status, `${expr}: ${answer.error}`).toBe('success')
    const withData = answers.filter(([, a]) => a.data.result.length).map(([e]) => e)
    for (const metric of ['gateway_requests_total', 'gateway_request_duration_seconds_bucket', 'gateway_cost_usd_total', 'gateway_key_budget_used_ratio']) {
      expect(withData.some(e => e.includes(metric)), metric).toBe(true)
    }
  }, 60_000)
})

// Runs the real Claude Code and Codex CLI binaries (installed apart from the repository, in the folder
// given as the first argument) non-interactively through a gateway on the strict fakes, one prompt per
// model given after it (`claude:<model>` or `codex:<model>`), and prints, as its last line, each run's
// exit status, output and the requests each fake received during it. tests/e2e/agent-binaries.test.ts
// starts it in a network namespace that has only loopback, so the agents can reach nothing else.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeProviders } from './fake-providers'
import { removeDir, startGateway } from './gateway'

const [agentsDir, ...runs] = process.argv.slice(2)
const fakes = await startFakeProviders()
const gw = await startGateway(fakes.env)
const key = (await gw.admin('POST', '/api/admin/keys', { name: 'agent binaries' })).body.key
const home = mkdtempSync(join(tmpdir(), 'agents-home-'))
const work = join(home, 'project')
mkdirSync(work)

/** Runs a command to its end without blocking this process, whose fakes must go on answering meanwhile. */
function run(cmd: string, args: string[], opts: { cwd: string, env: Record<string, string> }): Promise<{ status: number | null, stdout: string, stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => { stdout += d })
    child.stderr.on('data', (d) => { stderr += d })
    const timer = setTimeout(() => child.kill(), 90_000)
    child.on('close', (status) => {
      clearTimeout(timer)
      done({ status, stdout, stderr })
    })
  })
}

const PROMPT = { claude: 'Which files does this project have?', codex: 'What is the weather in Paris?' }

function agentCommand(agent: 'claude' | 'codex', model: string): { args: string[], env: Record<string, string> } {
  if (agent === 'claude') {
    return {
      args: ['-p', PROMPT.claude, '--model', model],
      env: {
        ANTHROPIC_BASE_URL: gw.url, ANTHROPIC_API_KEY: key, ANTHROPIC_SMALL_FAST_MODEL: model, ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1',
      },
    }
  }
  const provider = ['model_provider="gw"', 'model_providers.gw.name="gateway"', `model_providers.gw.base_url="${gw.url}/v1"`, 'model_providers.gw.env_key="GATEWAY_KEY"', 'model_providers.gw.wire_api="responses"']
  return {
    args: ['exec', '--skip-git-repo-check', '-m', model, ...provider.flatMap(c => ['-c', c]), PROMPT.codex],
    env: { GATEWAY_KEY: key, CODEX_HOME: join(home, 'codex') },
  }
}

const results = []
for (const name of runs) {
  const [agent, model] = name.split(':') as ['claude' | 'codex', string]
  mkdirSync(join(home, 'codex'), { recursive: true })
  const seen = { openai: fakes.openai.requests.length, anthropic: fakes.anthropic.requests.length, gemini: fakes.gemini.requests.length }
  const { args, env } = agentCommand(agent, model)
  const r = await run(join(agentsDir!, 'node_modules/.bin', agent), args, { cwd: work, env: { PATH: process.env.PATH!, HOME: home, ...env } })
  results.push({
    run: name, status: r.status, stdout: r.stdout, stderr: r.stderr.slice(-4000),
    upstream: {
      openai: fakes.openai.requests.slice(seen.openai).map(q => ({ path: q.path, body: q.body })),
      anthropic: fakes.anthropic.requests.slice(seen.anthropic).map(q => ({ path: q.path, body: q.body })),
      gemini: fakes.gemini.requests.slice(seen.gemini).map(q => ({ path: q.path, body: q.body })),
    },
  })
}
await gw.stop()
await fakes.close()
removeDir(gw.dataDir)
removeDir(home)
console.log(JSON.stringify(results))

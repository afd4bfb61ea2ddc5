// The real coding agents through the gateway: Claude Code (`claude -p`) and Codex CLI (`codex exec`)
// run non-interactively against gpt-4o-mini, claude-haiku-4-5 and gemini-2.5-flash on the strict
// fakes, inside a network namespace that has only loopback (tests/helpers/agent-binaries.ts does the
// runs there). The agents are not dependencies of the repository: install them apart,
// `npm install --prefix /tmp/agents @anthropic-ai/claude-code @openai/codex`, and set
// AGENT_BINARIES_DIR=/tmp/agents; without them, or without `unshare` (root), the test is skipped.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')
const DIR = process.env.AGENT_BINARIES_DIR
const MODELS = ['gpt-4o-mini', 'claude-haiku-4-5', 'gemini-2.5-flash']

function missing(): string | undefined {
  if (!DIR) return 'AGENT_BINARIES_DIR is not set'
  for (const bin of ['claude', 'codex']) if (!existsSync(join(DIR, 'node_modules/.bin', bin))) return `${bin} is not installed in ${DIR}`
  if (spawnSync('unshare', ['--net', 'true']).status !== 0) return 'unshare --net is not permitted (it needs root)'
}
const why = missing()
if (why) console.warn(`[agent-binaries] skipped: ${why}`)

interface Run { run: string, status: number | null, stdout: string, stderr: string, upstream: Record<'openai' | 'anthropic' | 'gemini', { path: string, body: any }[]> }

describe.skipIf(Boolean(why))('the agents\' binaries, loopback only', () => {
  let runs: Map<string, Run>

  it('run every agent on every model', () => {
    const helper = join(ROOT, 'tests/helpers/agent-binaries.ts')
    const args = MODELS.flatMap(m => [`claude:${m}`, `codex:${m}`])
    const r = spawnSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, join(ROOT, 'node_modules/tsx/dist/cli.mjs'), helper, DIR!, ...args], {
      cwd: ROOT, encoding: 'utf8', timeout: 600_000,
    })
    expect(r.status, r.stderr.slice(-2000)).toBe(0)
    runs = new Map((JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Run[]).map(x => [x.run, x]))
    for (const run of runs.values()) expect(run.status, `${run.run}: ${run.stderr}`).toBe(0)
  }, 600_000)

  it.each(MODELS)('Claude Code on %s: its answer is the model\'s, its request fitted', (model) => {
    const run = runs.get(`claude:${model}`)!
    expect(run.stdout).toContain('echo:')
    if (model === 'gpt-4o-mini') {
      const sent = run.upstream.openai.find(q => q.path === '/v1/chat/completions')!.body
      expect(sent.max_completion_tokens).toBe(16_384)
      expect(sent).not.toHaveProperty('user')
    }
    if (model === 'claude-haiku-4-5') expect(run.upstream.anthropic.at(-1)!.body).toMatchObject({ model, max_tokens: 32_000, context_management: expect.any(Object) })
    if (model === 'gemini-2.5-flash') expect(run.upstream.gemini.length).toBeGreaterThan(0)
  })

  it.each(MODELS)('Codex on %s: a tool loop, its namespace tools flattened for translated models', (model) => {
    const run = runs.get(`codex:${model}`)!
    expect(run.stdout).toContain('tool result:')
    if (model === 'gpt-4o-mini') {
      const turns = run.upstream.openai.filter(q => q.path === '/v1/responses').map(q => q.body)
      expect(turns.length).toBeGreaterThanOrEqual(2)
      expect(turns.at(-1)!.input.some((i: any) => i.type === 'function_call_output')).toBe(true)
    }
    if (model === 'claude-haiku-4-5') {
      const names = run.upstream.anthropic.at(-1)!.body.tools.map((t: any) => t.name)
      expect(names.some((n: string) => n.includes('__'))).toBe(true)
    }
    if (model === 'gemini-2.5-flash') {
      const last = run.upstream.gemini.at(-1)!.body
      expect(last.contents.some((c: any) => c.parts.some((p: any) => p.functionResponse))).toBe(true)
    }
  })
})

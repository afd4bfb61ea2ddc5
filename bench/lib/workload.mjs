// What the benchmarks send and how they set the gateway up, shared by bench/run.mjs (wall clock)
// and bench/instructions.mjs (instruction counts), so both measure the same request on the same setup.
import { randomBytes } from 'node:crypto'

// The request every target gets: a short chat, a ~1 KB prompt, a marker telling the fake upstream
// how to answer (see bench/upstream.mjs).
const PROMPT = 'Summarise the following support ticket in two sentences and suggest a priority. '
  + 'The customer reports that invoices exported as CSV since the last release contain dates in the wrong time zone, '
  + 'which breaks their reconciliation job that runs every night at two in the morning. They attached three examples '
  + 'and say that the issue started on Monday. Their account is on the business plan with forty seats, they have been '
  + 'a customer for four years and this is the second ticket about exports this quarter. They ask for a workaround '
  + 'until a fix ships and want to know whether earlier exports are affected as well. '

export function chatBody({ stream, delay = 0, chunks = 3, gap = 0 }) {
  return JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a concise assistant for a customer support team.' },
      { role: 'user', content: `${PROMPT.repeat(2)}[bench:${delay},${chunks},${gap}]` },
    ],
    temperature: 0.2,
    max_tokens: 200,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  })
}

/** The same request in the Responses API's shape (POST /v1/responses); stored, as by default. */
export function responsesBody({ stream, delay = 0, chunks = 3, gap = 0 }) {
  return JSON.stringify({
    model: 'gpt-4o-mini',
    instructions: 'You are a concise assistant for a customer support team.',
    input: `${PROMPT.repeat(2)}[bench:${delay},${chunks},${gap}]`,
    temperature: 0.2,
    max_output_tokens: 200,
    ...(stream ? { stream: true } : {}),
  })
}

/** The key the gateway (as OPENAI_API_KEY) and the direct and proxy targets send to the fake upstream. */
export const UPSTREAM_KEY = 'sk-bench-upstream-key-0123456789abcdef'

const SCRUBBED = /^(OPENAI|ANTHROPIC|GEMINI)_|^(DATABASE_URL|REDIS_URL|ADMIN_API_KEY|ADMIN_EMAIL|ADMIN_PASSWORD|ENCRYPTION_KEY|SECRET_KEY|DATA_DIR|PORT|HOST|NITRO_.*|LOG_LEVEL|LOG_FORMAT|NODE_OPTIONS)$/

export function gatewayEnv({ port, dataDir, upstreamUrl, adminKey }) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SCRUBBED.test(k)))
  return {
    ...base,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    ENCRYPTION_KEY: randomBytes(24).toString('base64url'),
    SECRET_KEY: randomBytes(24).toString('base64url'),
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: `${upstreamUrl}/v1`,
    // As deployed: auth, limits, metering, request log and access log all on; only the per-IP limit is
    // raised so that the load generator's one address is not refused, and no scheduled job runs.
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'info',
    REGISTRY_CRON: 'off',
    BACKUP_CRON: 'off',
  }
}

export async function admin(url, adminKey, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'authorization': `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  if (res.status >= 400) throw new Error(`admin ${method} ${path}: HTTP ${res.status} ${text}`)
  return JSON.parse(text)
}

/** A gateway key for the benchmark: an rpm and a budget, so the limit checks run, both far out of reach. */
export function createBenchKey(url, adminKey) {
  return admin(url, adminKey, 'POST', '/api/admin/keys', { name: 'bench', rpm: 100_000_000, budgetUsd: 1_000_000 })
}

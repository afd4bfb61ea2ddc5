// Run-time configuration, read from the environment once. Nitro bakes its own options in at build
// time, so everything an operator may change without rebuilding is read here instead.
import { resolve } from 'node:path'
import { z } from 'zod'

// An empty variable counts as unset (.env files list every name), not as 0.
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const int = (fallback: number) => z.preprocess(blankToUndefined, z.coerce.number().int().nonnegative().default(fallback))
const optional = z.string().trim().min(1).optional().catch(undefined)

const EnvSchema = z.object({
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  DATABASE_URL: optional,
  DATABASE_POOL_MAX: z.preprocess(blankToUndefined, z.coerce.number().int().positive().default(10)),
  REDIS_URL: optional,
  REDIS_PREFIX: z.preprocess(blankToUndefined, z.string().default('gw:')),
  ADMIN_API_KEY: optional,
  ENCRYPTION_KEY: optional,
  ENCRYPTION_KEY_PREVIOUS: optional,
  SECRET_KEY: optional,
  ADMIN_EMAIL: optional,
  ADMIN_PASSWORD: z.string().min(1).optional().catch(undefined),
  PUBLIC_HOSTS: optional,
  GATEWAY_DOMAIN: optional,
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  ANTHROPIC_API_KEY: optional,
  ANTHROPIC_BASE_URL: optional,
  GEMINI_API_KEY: optional,
  GEMINI_BASE_URL: optional,
  MAX_BODY_BYTES: int(20 * 1024 * 1024),
  MAX_JSON_DEPTH: int(64),
  MAX_JSON_VALUES: int(500_000),
  REQUEST_BODY_TIMEOUT_MS: int(15_000),
  HEADERS_TIMEOUT_MS: int(10_000),
  REQUEST_TIMEOUT_MS: int(120_000),
  UPSTREAM_TIMEOUT_MS: int(60_000),
  UPSTREAM_IDLE_TIMEOUT_MS: int(60_000),
  UPSTREAM_MAX_RETRIES: int(2),
  RETRY_AFTER_MAX_MS: int(10_000),
  CIRCUIT_FAILURE_THRESHOLD: int(5),
  CIRCUIT_COOLDOWN_MS: int(30_000),
  ROUTES_FILE: optional,
  UNPRICED_MODELS: z.preprocess(blankToUndefined, z.enum(['refuse', 'allow']).default('refuse')),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).catch('info').default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional().catch(undefined),
  RATE_LIMIT_PER_MINUTE: int(100),
  BUDGET_DEFAULT_MAX_TOKENS: z.preprocess(blankToUndefined, z.coerce.number().int().positive().default(4096)),
  RESPONSES_TTL_DAYS: int(30),
  RESPONSES_BACKGROUND_DRAIN_SECONDS: int(20),
  TRUST_PROXY: optional,
  CORS_ORIGINS: z.preprocess(blankToUndefined, z.string().default('*')),
  METRICS_TOKEN: optional,
  // OpenTelemetry: tracing is on when an OTLP endpoint is set; the SDK reads the other OTEL_* itself.
  OTEL_EXPORTER_OTLP_ENDPOINT: optional,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional,
  OTEL_SDK_DISABLED: z.preprocess(blankToUndefined, z.enum(['true', 'false']).default('false')),
  BACKUP_DIR: optional,
  BACKUP_S3_ENDPOINT: optional,
  BACKUP_S3_BUCKET: optional,
  BACKUP_S3_ACCESS_KEY_ID: optional,
  BACKUP_S3_SECRET_ACCESS_KEY: optional,
  BACKUP_S3_REGION: z.preprocess(blankToUndefined, z.string().trim().default('us-east-1')),
  BACKUP_S3_PREFIX: z.preprocess(blankToUndefined, z.string().trim().default('gateway-backups/')),
  REGISTRY_CRON: z.preprocess(blankToUndefined, z.string().trim().default('0 3 * * *')),
  BACKUP_CRON: z.preprocess(blankToUndefined, z.string().trim().default('0 0 * * *')),
  REGISTRY_OPENAI_URL: optional,
  REGISTRY_ANTHROPIC_URL: optional,
  REGISTRY_GOOGLE_URL: optional,
})

/** A cron schedule, or null where the operator turned it off. */
const schedule = (value: string) => (value === 'off' ? null : value)

export type GatewayConfig = ReturnType<typeof loadConfig>

function loadConfig(env: NodeJS.ProcessEnv) {
  const e = EnvSchema.parse(env)
  const dataDir = resolve(e.DATA_DIR)
  return {
    dataDir,
    databasePath: resolve(dataDir, 'gateway.db'),
    registryDir: resolve(dataDir, 'registry'),
    secretsPath: resolve(dataDir, 'secrets.json'),
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    redisUrl: e.REDIS_URL,
    /** Prefix of every Redis key and channel, so several gateways (or tests) can share one Redis. */
    redisPrefix: e.REDIS_PREFIX,
    adminApiKey: e.ADMIN_API_KEY,
    encryptionKey: e.ENCRYPTION_KEY,
    encryptionKeyPrevious: e.ENCRYPTION_KEY_PREVIOUS,
    secretKey: e.SECRET_KEY,
    /** The first dashboard administrator, created at start; while both are set, /setup stays closed. */
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    /** Host names (optionally with a port) the dashboard and admin API answer to, besides the loopback names. */
    publicHosts: [...(e.PUBLIC_HOSTS ?? '').split(','), e.GATEWAY_DOMAIN ?? ''].map(h => h.trim()).filter(Boolean),
    providerEnv: {
      openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
      anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL },
      google: { apiKey: e.GEMINI_API_KEY, baseUrl: e.GEMINI_BASE_URL },
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    /** Limits of every JSON body's shape, checked before it is parsed (gateway/json-scan.ts). */
    maxJsonDepth: Math.max(1, e.MAX_JSON_DEPTH),
    maxJsonValues: Math.max(1, e.MAX_JSON_VALUES),
    /** Longest silence allowed while a request body arrives (0: none). */
    requestBodyTimeoutMs: e.REQUEST_BODY_TIMEOUT_MS,
    /** Node's server.headersTimeout, never above requestTimeout (Node's rule), and server.requestTimeout (0: none). */
    headersTimeoutMs: e.REQUEST_TIMEOUT_MS > 0 ? Math.min(e.HEADERS_TIMEOUT_MS, e.REQUEST_TIMEOUT_MS) : e.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    upstreamIdleTimeoutMs: e.UPSTREAM_IDLE_TIMEOUT_MS,
    maxRetries: e.UPSTREAM_MAX_RETRIES,
    retryAfterMaxMs: e.RETRY_AFTER_MAX_MS,
    circuitFailureThreshold: Math.max(1, e.CIRCUIT_FAILURE_THRESHOLD),
    circuitCooldownMs: e.CIRCUIT_COOLDOWN_MS,
    routesFile: e.ROUTES_FILE ? resolve(e.ROUTES_FILE) : undefined,
    /** 'allow': serve models without a price, logged with an unknown cost and counted; 'refuse' (default): a 400 naming the model. */
    unpricedModels: e.UNPRICED_MODELS,
    logLevel: e.LOG_LEVEL,
    /** JSON lines in production; readable lines in development unless LOG_FORMAT says otherwise. */
    logFormat: e.LOG_FORMAT ?? (process.env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    /** The completion cap sent upstream, and reserved for, when a budgeted key's request sets none. */
    budgetDefaultMaxTokens: e.BUDGET_DEFAULT_MAX_TOKENS,
    /** Days a stored response (Responses API) is kept; 0 keeps them until deleted. */
    responsesTtlDays: e.RESPONSES_TTL_DAYS,
    /**
     * How long after SIGTERM background responses may run to finish; those left are then stopped and
     * marked failed. Within Nitro's own shutdown timeout (NITRO_SHUTDOWN_TIMEOUT, 30 s by default).
     */
    responsesBackgroundDrainMs: e.RESPONSES_BACKGROUND_DRAIN_SECONDS * 1000,
    /** How many proxy hops to believe in X-Forwarded-For (TRUST_PROXY=true means one: nginx). */
    trustedProxyHops: !e.TRUST_PROXY || e.TRUST_PROXY === 'false' ? 0 : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : 1,
    corsOrigins: e.CORS_ORIGINS.split(',').map(o => o.trim()).filter(Boolean),
    metricsToken: e.METRICS_TOKEN,
    /** Whether traces are sent over OTLP/HTTP. */
    tracing: Boolean(e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || e.OTEL_EXPORTER_OTLP_ENDPOINT) && e.OTEL_SDK_DISABLED !== 'true',
    backupDir: resolve(e.BACKUP_DIR ?? resolve(dataDir, 'backups')),
    /** Off-site copies of backups: set when any BACKUP_S3_* connection variable is (the S3 client names the missing ones). */
    backupS3: e.BACKUP_S3_ENDPOINT || e.BACKUP_S3_BUCKET || e.BACKUP_S3_ACCESS_KEY_ID || e.BACKUP_S3_SECRET_ACCESS_KEY
      ? {
          endpoint: e.BACKUP_S3_ENDPOINT,
          bucket: e.BACKUP_S3_BUCKET,
          accessKeyId: e.BACKUP_S3_ACCESS_KEY_ID,
          secretAccessKey: e.BACKUP_S3_SECRET_ACCESS_KEY,
          region: e.BACKUP_S3_REGION,
          /** Key prefix ending in '/', or '' for the bucket's root. */
          prefix: e.BACKUP_S3_PREFIX.replace(/^\/+|\/+$/g, '').replace(/.+/, '$&/'),
        }
      : undefined,
    /** Schedules (UTC cron) of the scheduled tasks; null when off. */
    schedules: { registryUpdate: schedule(e.REGISTRY_CRON), backup: schedule(e.BACKUP_CRON) },
    /** Pricing pages that replace the official ones (REGISTRY_<PROVIDER>_URL). */
    pricingUrls: { openai: e.REGISTRY_OPENAI_URL, anthropic: e.REGISTRY_ANTHROPIC_URL, google: e.REGISTRY_GOOGLE_URL },
  }
}

let cached: GatewayConfig | undefined

export function config(): GatewayConfig {
  cached ??= loadConfig(process.env)
  return cached
}

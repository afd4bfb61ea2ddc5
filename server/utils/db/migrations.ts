// Versioned schema migrations. Append only: a released migration is never edited.
import type { Dialect } from './dialect'

export interface Migration {
  version: number
  name: string
  statements: (d: Dialect) => string[]
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'core',
    statements: d => [
      `CREATE TABLE gateway_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        key_hint TEXT NOT NULL,
        budget_usd ${d.double},
        spent_usd ${d.double} NOT NULL DEFAULT 0,
        rpm INTEGER,
        tpm INTEGER,
        models TEXT,
        expires_at ${d.bigint},
        revoked_at ${d.bigint},
        last_used_at ${d.bigint},
        created_at ${d.bigint} NOT NULL
      )`,
      `CREATE TABLE provider_credentials (
        provider TEXT PRIMARY KEY,
        api_key_enc TEXT NOT NULL,
        key_hint TEXT NOT NULL,
        base_url TEXT,
        updated_at ${d.bigint} NOT NULL
      )`,
      `CREATE TABLE request_log (
        id TEXT PRIMARY KEY,
        created_at ${d.bigint} NOT NULL,
        key_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        provider TEXT,
        model TEXT,
        stream INTEGER NOT NULL,
        status INTEGER NOT NULL,
        error_code TEXT,
        prompt_tokens ${d.bigint} NOT NULL DEFAULT 0,
        cached_tokens ${d.bigint} NOT NULL DEFAULT 0,
        cache_write_tokens ${d.bigint} NOT NULL DEFAULT 0,
        completion_tokens ${d.bigint} NOT NULL DEFAULT 0,
        reasoning_tokens ${d.bigint} NOT NULL DEFAULT 0,
        cost_usd ${d.double} NOT NULL DEFAULT 0,
        estimated INTEGER NOT NULL DEFAULT 0,
        latency_ms INTEGER NOT NULL,
        ttft_ms INTEGER
      )`,
      'CREATE INDEX request_log_created_at ON request_log (created_at)',
      'CREATE INDEX request_log_key_created_at ON request_log (key_id, created_at)',
      // Daily rollups keep usage queries fast however many request rows there are.
      `CREATE TABLE usage_daily (
        day TEXT NOT NULL,
        key_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        requests ${d.bigint} NOT NULL DEFAULT 0,
        errors ${d.bigint} NOT NULL DEFAULT 0,
        prompt_tokens ${d.bigint} NOT NULL DEFAULT 0,
        cached_tokens ${d.bigint} NOT NULL DEFAULT 0,
        completion_tokens ${d.bigint} NOT NULL DEFAULT 0,
        cost_usd ${d.double} NOT NULL DEFAULT 0,
        PRIMARY KEY (day, key_id, provider, model)
      )`,
    ],
  },
  {
    version: 2,
    name: 'price_history',
    statements: d => [
      `CREATE TABLE price_history (
        id TEXT PRIMARY KEY,
        model_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        source TEXT NOT NULL,
        changed_at ${d.bigint} NOT NULL
      )`,
      'CREATE INDEX price_history_model ON price_history (model_id, changed_at)',
    ],
  },
  {
    version: 3,
    name: 'admin_users',
    // Dashboard sign-in accounts; passwords as `scrypt$N$r$p$salt$hash`. Sessions issued before
    // sessions_revoked_at (set at sign-out) are refused.
    statements: d => [
      `CREATE TABLE admin_users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at ${d.bigint} NOT NULL,
        last_login_at ${d.bigint},
        sessions_revoked_at ${d.bigint}
      )`,
    ],
  },
  {
    version: 4,
    name: 'routes',
    // Virtual models: a name that /v1 clients use as `model`, answered by the first target that works.
    statements: d => [
      `CREATE TABLE routes (
        name TEXT PRIMARY KEY,
        strategy TEXT NOT NULL,
        targets TEXT NOT NULL,
        updated_at ${d.bigint} NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: 'responses',
    // Responses API state: each stored response with the key that created it (another key never sees
    // it), its input items and the response object (its output), and the response it continued.
    statements: d => [
      `CREATE TABLE responses (
        id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        created_at ${d.bigint} NOT NULL,
        provider TEXT NOT NULL,
        upstream_stored INTEGER NOT NULL,
        previous_response_id TEXT,
        input TEXT NOT NULL,
        response TEXT NOT NULL
      )`,
      'CREATE INDEX responses_key_created_at ON responses (key_id, created_at)',
    ],
  },
  {
    version: 6,
    name: 'money_in_nano_usd',
    // Costs, spend and budgets become integers of nano-dollars (core/money.ts): sums are then exact.
    // Each REAL dollar column is converted, rounded to the nearest nano-dollar, then dropped.
    statements: d => [
      ...nanoColumn(d, 'request_log', 'cost_usd', 'cost_nano_usd', true),
      ...nanoColumn(d, 'usage_daily', 'cost_usd', 'cost_nano_usd', true),
      ...nanoColumn(d, 'gateway_keys', 'spent_usd', 'spent_nano_usd', true),
      ...nanoColumn(d, 'gateway_keys', 'budget_usd', 'budget_nano_usd', false),
    ],
  },
  {
    version: 7,
    name: 'cache_write_1h_tokens',
    // The part of a request's cache writes kept for 1 hour (Anthropic), billed at its own price.
    statements: d => [`ALTER TABLE request_log ADD COLUMN cache_write_1h_tokens ${d.bigint} NOT NULL DEFAULT 0`],
  },
  {
    version: 8,
    name: 'requested_model',
    // The name the client sent beside the registry model that priced it (snapshot ids, aliases, routes).
    statements: () => ['ALTER TABLE request_log ADD COLUMN requested_model TEXT'],
  },
  {
    version: 9,
    name: 'conversations',
    // Conversations API state: each conversation with the key that created it, and its items in
    // order. next_position counts the items ever added: an append takes its positions by raising it,
    // so appends on several instances at once never collide. updated_at is the last append (expiry).
    statements: d => [
      `CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        created_at ${d.bigint} NOT NULL,
        updated_at ${d.bigint} NOT NULL,
        metadata TEXT NOT NULL,
        next_position ${d.bigint} NOT NULL
      )`,
      'CREATE INDEX conversations_updated_at ON conversations (updated_at)',
      `CREATE TABLE conversation_items (
        conversation_id TEXT NOT NULL,
        position ${d.bigint} NOT NULL,
        id TEXT NOT NULL,
        item TEXT NOT NULL,
        PRIMARY KEY (conversation_id, position)
      )`,
      'CREATE INDEX conversation_items_id ON conversation_items (conversation_id, id)',
    ],
  },
  {
    version: 10,
    name: 'provider_connections',
    // Providers become named connections of a type (several per type); the three official
    // credentials move over as connections named after their type, their sealed keys as they are.
    statements: d => [
      `CREATE TABLE provider_connections (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        preset TEXT,
        base_url TEXT,
        api_key_enc TEXT,
        key_hint TEXT,
        headers TEXT,
        headers_enc TEXT,
        updated_at ${d.bigint} NOT NULL
      )`,
      `INSERT INTO provider_connections (name, type, base_url, api_key_enc, key_hint, updated_at)
        SELECT provider, provider, base_url, api_key_enc, key_hint, updated_at FROM provider_credentials`,
      'DROP TABLE provider_credentials',
    ],
  },
  {
    version: 11,
    name: 'unpriced_requests',
    // Requests served for a model without a price (UNPRICED_MODELS=allow): their cost is unknown, not $0.
    statements: () => ['ALTER TABLE request_log ADD COLUMN unpriced INTEGER NOT NULL DEFAULT 0'],
  },
  {
    version: 12,
    name: 'request_cost_audit',
    // What each charge was computed from: the registry version, the tier that served, and the bill's
    // lines (class × tokens × unit price, JSON). Rows from before have none (NULL).
    statements: () => [
      'ALTER TABLE request_log ADD COLUMN registry_version INTEGER',
      'ALTER TABLE request_log ADD COLUMN service_tier TEXT',
      'ALTER TABLE request_log ADD COLUMN cost_lines TEXT',
    ],
  },
]

/** Replaces a dollar column by an integer nano-dollar column holding the same amounts (NULL stays NULL). */
function nanoColumn(d: Dialect, table: string, from: string, to: string, required: boolean): string[] {
  return [
    `ALTER TABLE ${table} ADD COLUMN ${to} ${d.bigint}${required ? ' NOT NULL DEFAULT 0' : ''}`,
    `UPDATE ${table} SET ${to} = CAST(ROUND(${from} * 1000000000) AS ${d.bigint}) WHERE ${from} IS NOT NULL`,
    `ALTER TABLE ${table} DROP COLUMN ${from}`,
  ]
}

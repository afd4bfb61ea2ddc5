// The provider adapter contract. Adapters are pure transforms between the gateway's OpenAI-shaped
// requests/responses and one provider's native API: no database, no h3 event, no I/O. Adding a
// provider means adding a folder that exports a ProviderAdapter and listing it in ./index.ts.
import type { ChatCompletionRequest, EmbeddingsRequest } from '../dialects/openai'
import type { TokenUsage } from '../registry/cost'
import type { ModelEntry } from '../registry/schema'

export interface UpstreamTarget extends ProviderConnection {
  /** The connection's name (`openai`, `ollama`, `groq-eu`): circuits, metrics and the log are per connection. */
  provider: string
  /** The model id the provider knows (without any `connection/` prefix). */
  model: string
  entry: ModelEntry
  /** Top-level request fields this connection's server is known to refuse: left out of what is sent. */
  omitFields?: readonly string[]
}

export interface UpstreamRequest {
  url: string
  headers: Record<string, string>
  body: string
}

/** Where a provider is reached and with which credential (a target, or a connection being tested). */
export interface ProviderConnection {
  baseUrl: string
  /** Empty for a server that takes no key (a local Ollama). */
  apiKey: string
  /** Extra headers the connection sends with every call. */
  headers?: Record<string, string>
}

/** A connection's extra headers, then its auth headers (only when it has a key). */
export function connectionHeaders(c: ProviderConnection, auth: Record<string, string>): Record<string, string> {
  return c.apiKey ? { ...c.headers, ...auth } : { ...c.headers }
}

/** One of a provider's endpoints: its URL and the headers that authenticate a call to it. */
export interface ProviderEndpoint {
  url: string
  headers: Record<string, string>
}

/**
 * A provider's HTTP API: the one place that knows its base-URL normalisation, auth headers, API
 * version and the endpoint of each function. Adapters, the connection test and the model-list lookup
 * all build their URLs here.
 */
export interface ProviderApi {
  defaultBaseUrl: string
  chat(c: ProviderConnection, model: string, stream: boolean): ProviderEndpoint
  /** `batch`: several inputs in one call, where the provider has a separate endpoint for that. */
  embeddings?(c: ProviderConnection, model: string, batch: boolean): ProviderEndpoint
  /** The Responses API, where the provider has its own. */
  responses?(c: ProviderConnection): ProviderEndpoint
  /** Counting a request's input tokens without generating. */
  countTokens?(c: ProviderConnection, model: string): ProviderEndpoint
  /** One page of the provider's model list, at most `limit` models. */
  models(c: ProviderConnection, limit: number): ProviderEndpoint
}

/** A JSON POST to an endpoint; `headers` (protocol options a client chose, never auth) come last. */
export function jsonPost(endpoint: ProviderEndpoint, body: string, headers: Record<string, string> = {}): UpstreamRequest {
  return { url: endpoint.url, headers: { 'content-type': 'application/json', ...endpoint.headers, ...headers }, body }
}

/** One server-sent event from the upstream. */
export interface SseEvent {
  event?: string
  data: string
}

export interface ChatStreamOptions {
  /** The client asked for the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean
  /** Id and creation time the translated chunks carry (providers that have none of their own). */
  id: string
  created: number
}

/**
 * Turns upstream stream events into OpenAI `chat.completion.chunk` payloads (JSON text, without the
 * `data: ` framing; the caller adds that and the final `[DONE]`).
 */
export interface ChatStreamTranslator {
  push(event: SseEvent): string[]
  /** The upstream stream ended: any last chunks (finish, usage). */
  end(): string[]
  /** Usage as far as known; complete after end(). */
  usage(): TokenUsage | undefined
}

/** An upstream answer translated for the client: OpenAI's body (a chat completion, embeddings) as JSON text, and its usage. */
export interface TranslatedAnswer {
  body: string
  usage: TokenUsage
  /** The upstream reported no usage (some compatible servers): `usage` is zero and the gateway counts instead. */
  usageMissing?: true
}

/** An upstream failure, already in OpenAI's error vocabulary. */
export interface ProviderFailure {
  status: number
  type: 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'not_found_error' | 'rate_limit_error' | 'upstream_error' | 'service_unavailable'
  code: string | null
  message: string
}

/**
 * The client's JSON text of a request, when the parsed request is exactly what the client sent: an
 * adapter that would send the request unchanged may send this text and skip serialising it again.
 */
export type RawRequestText = string | undefined

/** What the gateway decided for one chat call, beside the client's request. */
export interface ChatCall {
  stream: boolean
  /**
   * The completion cap to send: the client's (never above the model's limit) or the gateway's default
   * for a budgeted key. It is what the call's budget reservation counts; undefined means send none.
   */
  maxOutputTokens?: number
  raw?: RawRequestText
}

export interface ProviderAdapter {
  /** The connection type it serves (`openai`, `openai-compatible`, …). */
  type: string
  api: ProviderApi
  chat: {
    request(req: ChatCompletionRequest, target: UpstreamTarget, call: ChatCall): UpstreamRequest
    response(upstreamBody: string, target: UpstreamTarget): TranslatedAnswer
    stream(target: UpstreamTarget, opts: ChatStreamOptions): ChatStreamTranslator
  }
  embeddings?: {
    request(req: EmbeddingsRequest, target: UpstreamTarget, raw?: RawRequestText): UpstreamRequest
    response(upstreamBody: string, target: UpstreamTarget, req: EmbeddingsRequest): TranslatedAnswer
  }
  /** Counting the input tokens of a chat request without generating, where the provider can. */
  countTokens?: {
    request(req: ChatCompletionRequest, target: UpstreamTarget): UpstreamRequest
    /** The upstream answer → the input tokens. */
    response(upstreamBody: string): number
  }
  /** Maps an upstream error response (status and body text) to a failure the client may see. */
  error(status: number, body: string): ProviderFailure
  /**
   * For servers that refuse fields they do not know: the top-level field of `sentBody` that a 400's
   * message names as unknown, so that the gateway stops sending it to that connection.
   */
  unsupportedField?(failureMessage: string, sentBody: string): string | undefined
}

/** Thrown by a stream translator when the upstream reports an error inside the stream. */
export class StreamFailure extends Error {
  constructor(readonly failure: ProviderFailure) {
    super(failure.message)
  }
}

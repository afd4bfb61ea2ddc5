// OpenTelemetry tracing, off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). The SDK honours the standard OTEL_* variables itself (service
// name, resource attributes, exporter headers, sampler and ratio, batch delays). Contexts are passed
// explicitly, so no async context manager runs per request; with tracing off, `tracer()` is undefined
// and the request path only tests for it. Message contents are never put on spans.
import { type Context, ROOT_CONTEXT, type TextMapGetter, type TextMapSetter, type Tracer } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { config } from './config'

let provider: BasicTracerProvider | undefined
let active: Tracer | undefined
let started = false

/** The gateway's tracer, started on first use; undefined when tracing is off. */
export function tracer(): Tracer | undefined {
  if (started) return active
  started = true
  if (!config().tracing) return undefined
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'llm-gateway' }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults.
    .merge(detectResources({ detectors: [envDetector] }))
  provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] })
  active = provider.getTracer('llm-gateway')
  return active
}

const propagator = new W3CTraceContextPropagator()
type Headers = Record<string, string | string[] | undefined>
const getter: TextMapGetter<Headers> = {
  keys: carrier => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
}
const setter: TextMapSetter<Record<string, string>> = { set: (carrier, key, value) => { carrier[key] = value } }

/** The trace an incoming request continues (its traceparent/tracestate), or the root. */
export const incomingContext = (headers: Headers): Context => propagator.extract(ROOT_CONTEXT, headers, getter)

/** Adds the traceparent/tracestate of `context` to outgoing request headers. */
export function injectContext(context: Context, headers: Record<string, string>): void {
  propagator.inject(context, headers, setter)
}

/** Sends what is buffered and stops (at shutdown). */
export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown()
}

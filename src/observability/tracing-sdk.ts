/**
 * The OpenTelemetry SDK, built from the parsed OTEL_* settings (src/config/telemetry.ts) and
 * nothing else. Only main.ts calls this, and only when tracing is configured: off, no SDK exists.
 *
 * What reads the environment by itself: `@opentelemetry/sdk-trace` (the SDK proper, not the
 * sdk-trace-base shim that adds env fallbacks) reads none. The OTLP exporter still merges what
 * it finds under OTEL_EXPORTER_OTLP_* in process.env beneath the values given here: every value
 * it has an option for is given (URL, headers, timeout, compression), so what remains is its TLS
 * files (OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE / CLIENT_KEY / CLIENT_CERTIFICATE), which it
 * reads itself. No global provider, propagator or context manager is registered: the tracer is
 * handed to the server explicitly.
 */
import { diag, DiagLogLevel, type DiagLogger, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import type { TracingConfig } from '../config/telemetry.js';
import { diagnosticLine, RepeatLimiter } from './sdk-diagnostics.js';

export interface TracingSdk {
  readonly tracer: Tracer;
  /** Exports what is still buffered and stops; bounded, so a dead collector cannot hold the exit. */
  shutdown(): Promise<void>;
}

/** How long shutdown waits for the last export before the process exits anyway. */
export const SHUTDOWN_FLUSH_MS = 5_000;

export function startTracingSdk(config: TracingConfig): TracingSdk {
  const provider = new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ ...config.resourceAttributes, 'service.name': config.serviceName })),
    sampler: samplerOf(config),
    spanProcessors: config.exporters.map((kind) => new BatchSpanProcessor({ exporter: exporterOf(kind, config) })),
  });
  return {
    tracer: provider.getTracer(config.serviceName),
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS);
        timer.unref();
      });
      try {
        await Promise.race([provider.shutdown(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

type OtlpCompression = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression'];

function exporterOf(kind: TracingConfig['exporters'][number], config: TracingConfig): SpanExporter {
  if (kind === 'console') return new ConsoleSpanExporter();
  const otlp = config.otlp!;
  return new OTLPTraceExporter({
    url: otlp.url,
    headers: { ...otlp.headers },
    timeoutMillis: otlp.timeoutMs,
    // The exporter's enum has these same two strings ('gzip', 'none').
    compression: otlp.compression as OtlpCompression,
  });
}

function samplerOf({ sampler, samplerRatio }: TracingConfig): Sampler {
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatio) });
  }
}

/** At most one diagnostic line per this many ms (a collector that stays down logs one line per interval). */
export const DIAGNOSTIC_INTERVAL_MS = 30_000;

/**
 * The SDK reports export failures through the API's diagnostic logger, silent unless one is set
 * (a process-wide setting, so only main.ts makes it). They are warnings, whatever level the SDK
 * gives them: one line each (message and code, no stack or response body; see sdk-diagnostics.ts),
 * any configured header value replaced, at most one per interval with the count of those dropped.
 */
export function logSdkDiagnostics(
  logger: Logger,
  { secrets = [], intervalMs = DIAGNOSTIC_INTERVAL_MS, now }: { secrets?: readonly string[]; intervalMs?: number; now?: () => number } = {},
): void {
  const child = logger.child({ component: 'opentelemetry' });
  const limiter = new RepeatLimiter(intervalMs, now);
  const warn = (message: unknown) => {
    const admitted = limiter.admit();
    if (!admitted) return;
    const line = diagnosticLine(message, secrets);
    if (admitted.suppressed > 0) child.warn({ suppressed: admitted.suppressed }, line);
    else child.warn(line);
  };
  const sink: DiagLogger = { error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} };
  diag.setLogger(sink, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

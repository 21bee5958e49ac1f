import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { diag } from '@opentelemetry/api';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadTelemetryConfig } from '../src/config/telemetry.js';
import { createLogger } from '../src/logger.js';
import { diagnosticLine, RepeatLimiter } from '../src/observability/sdk-diagnostics.js';
import { logSdkDiagnostics, startTracingSdk } from '../src/observability/tracing-sdk.js';

// What the SDK's error handler really hands the diagnostic logger for a refused connection.
const FLATTENED_ECONNREFUSED = JSON.stringify({
  stack: 'Error: connect ECONNREFUSED 127.0.0.1:1\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)',
  message: 'connect ECONNREFUSED 127.0.0.1:1',
  errno: '-111',
  code: 'ECONNREFUSED',
  syscall: 'connect',
  name: 'Error',
});

describe('diagnosticLine', () => {
  it("keeps a flattened exception's message and code, never its stack", () => {
    expect(diagnosticLine(FLATTENED_ECONNREFUSED)).toBe('connect ECONNREFUSED 127.0.0.1:1');
    const otlp = JSON.stringify({
      stack: 'OTLPExporterError: Unauthorized\n    at x',
      message: 'Unauthorized',
      code: '401',
      data: 'echo',
      name: 'OTLPExporterError',
    });
    expect(diagnosticLine(otlp)).toBe('Unauthorized (401)');
    expect(diagnosticLine(JSON.stringify({ message: 'Timeout', name: 'TimeoutError' }))).toBe('Timeout (TimeoutError)');
  });

  it('is one line, bounded, and replaces any configured secret', () => {
    expect(diagnosticLine('first\n    at frame')).toBe('first');
    expect(diagnosticLine('x'.repeat(5_000)).length).toBeLessThanOrEqual(301);
    expect(diagnosticLine(JSON.stringify({ message: 'rejected Bearer s3cret', code: 'E' }), ['Bearer s3cret'])).toBe(
      'rejected [redacted] (E)',
    );
    expect(diagnosticLine('{not json')).toBe('{not json');
  });
});

describe('RepeatLimiter', () => {
  it('lets one line through per interval and counts the others onto the next', () => {
    let now = 1_000;
    const limiter = new RepeatLimiter(30_000, () => now);
    expect(limiter.admit()).toEqual({ suppressed: 0 });
    expect(limiter.admit()).toBeUndefined();
    now += 29_999;
    expect(limiter.admit()).toBeUndefined();
    now += 1;
    expect(limiter.admit()).toEqual({ suppressed: 2 });
    expect(limiter.admit()).toBeUndefined();
    now += 30_000;
    expect(limiter.admit()).toEqual({ suppressed: 1 });
  });
});

describe('an OTLP exporter pointed at a closed port', () => {
  afterAll(() => {
    vi.restoreAllMocks();
    diag.disable();
  });

  it('logs one warning line per interval, no stack, no header value, with the count of those dropped', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    let now = 0;
    const tracing = loadTelemetryConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-s3cret',
      // Shorter than the exporter's first retry backoff (1 s): each export fails at once.
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
    }).tracing!;
    logSdkDiagnostics(createLogger('info', sink), { secrets: Object.values(tracing.otlp!.headers), now: () => now });
    // The SDK's error handler reports through diag.error; the spy only counts (it calls through).
    const reported = vi.spyOn(diag, 'error');
    const sdk = startTracingSdk(tracing);
    // A full batch (512 spans) is exported at once, not after the processor's 5 s delay.
    const exportBatch = async (expectedLines: number) => {
      for (let i = 0; i < 512; i += 1) sdk.tracer.startSpan(`span ${i}`).end();
      await vi.waitFor(() => expect(lines.length).toBeGreaterThanOrEqual(expectedLines), { timeout: 5_000, interval: 20 });
    };
    await exportBatch(1);
    // A second failure within the interval: reported by the SDK (the spy sees it), no line.
    for (let i = 0; i < 512; i += 1) sdk.tracer.startSpan(`span ${i}`).end();
    await vi.waitFor(() => expect(reported).toHaveBeenCalledTimes(2), { timeout: 5_000, interval: 20 });
    expect(lines).toHaveLength(1);
    now += 30_000;
    await exportBatch(2);
    await sdk.shutdown().catch(() => {});

    const logged = lines.slice(0, 2).map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of logged) {
      expect(entry.level).toBe(40);
      expect(entry.component).toBe('opentelemetry');
      expect(entry.msg).toMatch(/ECONNREFUSED/);
      expect(entry.msg).not.toMatch(/\n|stack|TCPConnectWrap|at /);
    }
    expect(logged[0]!.suppressed).toBeUndefined();
    expect(logged[1]!.suppressed).toBeGreaterThanOrEqual(1);
    expect(lines.join('\n')).not.toMatch(/collector-s3cret|stack|TCPConnectWrap/);
  }, 20_000);
});

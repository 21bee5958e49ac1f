import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/config/index.js';
import { loadTelemetryConfig, type TracingConfig } from '../src/config/telemetry.js';
import { ATTR } from '../src/observability/tracing.js';
import { startTracingSdk } from '../src/observability/tracing-sdk.js';
import { useStack } from '../testkit/use-stack.js';
import { ALL_TYPES_QUERY } from './support/all-types-query.js';

// The provider is this file's own, handed to the server: no global provider is registered, so
// nothing leaks into (or in from) other test files.
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const stack = useStack({
  tracer: provider.getTracer('tracing-test'),
  env: {
    LOG_LEVEL: 'debug',
    // Every scan is asked of the emulator (no settled-scan cache across tests), and retries are quick.
    ADVALIDATION_SETTLED_CACHE_SIZE: '0',
    ADVALIDATION_RETRY_BASE_DELAY_MS: '1',
    AWS_RETRY_BASE_DELAY_MS: '1',
  },
});
afterAll(() => provider.shutdown());
beforeEach(() => exporter.reset());

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

/** The request's spans once its operation span has ended (it ends when the answer is out, just after the client has it). */
async function spansOfRequest(): Promise<{ operation: ReadableSpan; spans: ReadableSpan[] }> {
  const operation = await vi.waitFor(() => {
    const found = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    expect(found).toHaveLength(1);
    return found[0]!;
  });
  return { operation, spans: exporter.getFinishedSpans() };
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((span) => parentOf(span) === parent.spanContext().spanId);
const batchSpans = (spans: ReadableSpan[], upstream: string) =>
  spans.filter((span) => span.kind === SpanKind.INTERNAL && span.attributes[ATTR.upstream] === upstream);
const sizes = (spans: ReadableSpan[]) => spans.map((span) => span.attributes[ATTR.size]).sort((a, b) => Number(a) - Number(b));

function mixedVariables() {
  const data = stack.emulator.data;
  const inRegion = (region: string) => data.inspector.details.filter((detail) => detail.findingArn!.split(':')[3] === region);
  return {
    builds: data.builds.slice(0, 150).map((build) => build.id!),
    findings: data.findings.slice(0, 30).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! })),
    arns: [...inRegion('us-east-1').slice(0, 12), ...inRegion('eu-west-1').slice(0, 3)].map((detail) => detail.findingArn!),
    scans: data.scans.slice(0, 3).map((scan) => String(scan.id)),
  };
}

describe('spans of a mixed operation, through the real server on the emulator', () => {
  it('one operation span; a batch span per upstream call with its size; the SDK/HTTP call under each; one trace', async () => {
    const variables = mixedVariables();
    const response = await stack.query(ALL_TYPES_QUERY, variables);
    expect(response.errors).toBeUndefined();
    const { operation, spans } = await spansOfRequest();

    expect(operation.name).toBe('query All');
    expect(operation.attributes).toEqual({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'All' });
    expect(operation.parentSpanContext).toBeUndefined();
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([operation.spanContext().traceId]));

    // 150 builds -> 100 + 50; 30 findings -> 25 + 5; 12 + 3 ARNs in two regions -> 10 + 2 and 3; 3 scans -> 3 GETs.
    const calls = stack.emulator.calls;
    const expected = { codebuild: [50, 100], 'codeguru-security': [5, 25], inspector2: [2, 3, 10], advalidation: [1, 1, 1] } as const;
    for (const [upstream, batchSizes] of Object.entries(expected)) {
      const batches = batchSpans(spans, upstream);
      expect(sizes(batches), upstream).toEqual(batchSizes);
      expect(batches.length, upstream).toBe(calls.count(upstream as keyof typeof expected));
      for (const batch of batches) {
        expect(parentOf(batch)).toBe(operation.spanContext().spanId);
        expect(batch.name).toBe(`batch ${upstream}`);
        expect(batch.attributes[ATTR.outcome]).toBe('ok');
        expect(batch.attributes[ATTR.attempts]).toBe(1);
        const [client, ...more] = childrenOf(spans, batch);
        expect(more).toEqual([]);
        expect(client!.kind).toBe(SpanKind.CLIENT);
        expect(client!.attributes[ATTR.attempts]).toBe(1);
        // Every CLIENT span, Advalidation's GETs too, carries the answer's status.
        expect(client!.attributes['http.response.status_code'], client!.name).toBe(200);
      }
    }
    const regions = batchSpans(spans, 'inspector2').map((span) => `${span.attributes[ATTR.group]}:${span.attributes[ATTR.size]}`);
    expect(regions.sort()).toEqual(['eu-west-1:3', 'us-east-1:10', 'us-east-1:2']);
    const clientNames = new Set(spans.filter((span) => span.kind === SpanKind.CLIENT).map((span) => span.name));
    expect(clientNames).toEqual(
      new Set(['CodeBuild.BatchGetBuilds', 'CodeGuruSecurity.BatchGetFindings', 'Inspector2.BatchGetFindingDetails', 'GET /v2/scans/{id}']),
    );
    expect(spans).toHaveLength(1 + 2 * (2 + 2 + 3 + 3));

    // No key (build id, ARN, scan id) and no variable reaches a span.
    const everything = JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events, span.status]));
    for (const key of [variables.builds[0]!, variables.arns[0]!, variables.scans[0]!, variables.findings[0]!.findingId]) {
      expect(everything).not.toContain(key);
    }
  });

  it("continues the router's traceparent and tracestate: the operation span is its child, the whole tree in its trace", async () => {
    const ids = stack.emulator.data.builds.slice(0, 3).map((build) => build.id!);
    const response = await stack.query(
      `query Three($ids: [ID!]!) { builds(ids: $ids) { id } }`,
      { ids },
      {
        traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`,
        tracestate: 'router=t61rcWkgMzE,other=x',
      },
    );
    expect(response.errors).toBeUndefined();
    const { operation, spans } = await spansOfRequest();
    expect(operation.spanContext().traceId).toBe(TRACE_ID);
    expect(operation.parentSpanContext).toMatchObject({ traceId: TRACE_ID, spanId: PARENT_ID, isRemote: true });
    expect(operation.spanContext().traceState?.get('router')).toBe('t61rcWkgMzE');
    expect(spans.every((span) => span.spanContext().traceId === TRACE_ID)).toBe(true);
    expect(batchSpans(spans, 'codebuild')).toHaveLength(1);
  });

  it.each([
    ['not a traceparent', 'garbage'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['version 00 with a suffix', `00-${TRACE_ID}-${PARENT_ID}-01-extra`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['two values joined', `00-${TRACE_ID}-${PARENT_ID}-01, 00-${TRACE_ID}-${PARENT_ID}-01`],
    ['8 KiB of it', `00-${TRACE_ID}-${PARENT_ID}-01`.repeat(150)],
  ])('ignores a traceparent that is %s: a new trace, never an error', async (_what, traceparent) => {
    const id = stack.emulator.data.builds[0]!.id!;
    const response = await stack.query(`query One($id: ID!) { build(id: $id) { id } }`, { id }, { traceparent, tracestate: '=,,=;=' });
    expect(response.errors).toBeUndefined();
    const { operation } = await spansOfRequest();
    expect(operation.parentSpanContext).toBeUndefined();
    expect(operation.spanContext().traceId).not.toBe(TRACE_ID);
    expect(operation.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps a valid traceparent beside a hostile tracestate (dropped entries, never an error)', async () => {
    const id = stack.emulator.data.builds[0]!.id!;
    const tracestate = `${'k'.repeat(300)}=v,${Array.from({ length: 40 }, (_, i) => `m${i}=v`).join(',')},bad key=\u00ff`;
    const response = await stack.query(
      `query One($id: ID!) { build(id: $id) { id } }`,
      { id },
      { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate },
    );
    expect(response.errors).toBeUndefined();
    const { operation } = await spansOfRequest();
    expect(operation.spanContext().traceId).toBe(TRACE_ID);
    expect(operation.spanContext().traceState?.serialize().length ?? 0).toBeLessThanOrEqual(512);
  });

  it('an unsampled parent (flags 00) records nothing: no operation, batch or client span is exported', async () => {
    const ids = stack.emulator.data.builds.slice(0, 3).map((build) => build.id!);
    const response = await stack.query(
      `query Three($ids: [ID!]!) { builds(ids: $ids) { id } }`,
      { ids },
      {
        traceparent: `00-${TRACE_ID}-${PARENT_ID}-00`,
      },
    );
    expect(response.errors).toBeUndefined();
    expect(stack.emulator.calls.count('codebuild')).toBe(1);
    // Let the connection close (when the operation span would end), then look.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("records the AWS SDK's attempts ($metadata.attempts) and Advalidation's own retries, as the emulator counted them", async () => {
    stack.emulator.faults.set('codebuild', { errorRate: 1, times: 1 });
    stack.emulator.faults.set('advalidation', { errorRate: 1, times: 1 });
    const data = stack.emulator.data;
    const response = await stack.query(`query Two($ids: [ID!]!, $scan: ID!) { builds(ids: $ids) { id } scan(id: $scan) { id } }`, {
      ids: data.builds.slice(0, 2).map((build) => build.id!),
      scan: String(data.scans[0]!.id),
    });
    expect(response.errors).toBeUndefined();
    const { spans } = await spansOfRequest();
    for (const upstream of ['codebuild', 'advalidation'] as const) {
      const [batch] = batchSpans(spans, upstream);
      const [client] = childrenOf(spans, batch!);
      expect(stack.emulator.calls.count(upstream), upstream).toBe(2);
      expect(client!.attributes[ATTR.attempts], upstream).toBe(2);
      expect(batch!.attributes[ATTR.attempts], upstream).toBe(2);
      expect(batch!.attributes[ATTR.outcome]).toBe('ok');
    }
  });

  it('marks a failed upstream call and the operation with the error code, the client span with its error type', async () => {
    stack.emulator.faults.set('codebuild', { down: true });
    const id = stack.emulator.data.builds[0]!.id!;
    const response = await stack.query(`query One($id: ID!) { build(id: $id) { id } }`, { id });
    expect(response.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    const { operation, spans } = await spansOfRequest();
    const [batch] = batchSpans(spans, 'codebuild');
    expect(batch!.attributes[ATTR.outcome]).toBe('UPSTREAM_ERROR');
    expect(batch!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UPSTREAM_ERROR' });
    const clients = childrenOf(spans, batch!);
    expect(clients.length).toBeGreaterThan(0);
    expect(clients.every((span) => span.status.code === SpanStatusCode.ERROR && typeof span.attributes['error.type'] === 'string')).toBe(
      true,
    );
    expect(clients.map((span) => span.attributes[ATTR.attempts]).reduce((a, b) => Number(a) + Number(b), 0)).toBe(
      stack.emulator.calls.count('codebuild'),
    );
    expect(operation.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UPSTREAM_ERROR' });
  });

  it("puts the trace id on the request's log line", async () => {
    const id = stack.emulator.data.builds[0]!.id!;
    await stack.query(`query Logged($id: ID!) { build(id: $id) { id } }`, { id }, { 'x-request-id': 'traced-1' });
    const { operation } = await spansOfRequest();
    const line = stack.logs.map((raw) => JSON.parse(raw) as Record<string, unknown>).find((entry) => entry.requestId === 'traced-1');
    expect(line).toMatchObject({ msg: 'request finished', trace_id: operation.spanContext().traceId });
  });
});

describe('OTEL_* configuration', () => {
  const tracing = (env: Record<string, string>) => loadTelemetryConfig(env).tracing;

  it('is off unless an exporter or an OTLP endpoint is named, and OTEL_SDK_DISABLED wins', () => {
    expect(tracing({})).toBeUndefined();
    expect(tracing({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' })).toBeUndefined();
    expect(tracing({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBeUndefined();
    expect(tracing({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBeUndefined();
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })?.exporters).toEqual(['otlp']);
    expect(tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })?.exporters).toEqual(['otlp']);
    expect(tracing({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ exporters: ['console'], otlp: undefined });
  });

  it('builds the traces URL as the spec says, defaults the rest, and reads service and resource', () => {
    expect(tracing({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({
      exporters: ['otlp'],
      otlp: { url: 'http://localhost:4318/v1/traces', headers: {}, timeoutMs: 10_000, compression: 'none' },
      serviceName: 'appsec-ci-subgraph',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    } satisfies TracingConfig);
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example/otlp/' })?.otlp?.url).toBe('https://c.example/otlp/v1/traces');
    expect(
      tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://t.example/in' })?.otlp?.url,
    ).toBe('https://t.example/in');
    const full = tracing({
      OTEL_TRACES_EXPORTER: 'otlp,console',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc,x-team=a',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=b',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.name=ignored,team=app%2Csec',
      OTEL_SERVICE_NAME: 'subgraph-eu',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(full).toEqual({
      exporters: ['otlp', 'console'],
      otlp: {
        url: 'http://localhost:4318/v1/traces',
        headers: { authorization: 'Bearer abc', 'x-team': 'b' },
        timeoutMs: 2000,
        compression: 'gzip',
      },
      serviceName: 'subgraph-eu',
      resourceAttributes: { 'deployment.environment.name': 'prod', team: 'app,sec' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
    expect(tracing({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource' })?.serviceName).toBe(
      'from-resource',
    );
  });

  it.each([
    // The example is the collector's conventional address, not the emulator's (4010).
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' },
      /^OTEL_EXPORTER_OTLP_ENDPOINT "not a url" is not a URL \(for example http:\/\/localhost:4318\)\.$/,
    ],
    [
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'nope' },
      /^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT "nope" is not a URL \(for example http:\/\/localhost:4318\/v1\/traces\)\.$/,
    ],
    [
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://c.example' },
      /^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT "ftp:\/\/c.example" is not an http\(s\) URL/,
    ],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:pw@c.example' }, /^OTEL_EXPORTER_OTLP_ENDPOINT must not carry credentials/],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /^OTEL_TRACES_EXPORTER must be otlp, console or none/],
    [{ OTEL_TRACES_EXPORTER: 'none,otlp' }, /^OTEL_TRACES_EXPORTER "none" cannot be combined/],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'jaeger_remote' }, /^OTEL_TRACES_SAMPLER must be one of/],
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' },
      /^OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1/,
    ],
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      /^OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf or http\/json/,
    ],
    // The signal's own variable is the one used (and named), whatever the general one holds.
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
      /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL must be http\/protobuf or http\/json.*got "grpc"/,
    ],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: '0' }, /^OTEL_EXPORTER_OTLP_TIMEOUT must be an integer/],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'team' }, /^OTEL_RESOURCE_ATTRIBUTES: entry 1 has no key=value.*got "team"/],
    [{ OTEL_SDK_DISABLED: 'yes' }, /^OTEL_SDK_DISABLED must be true or false/],
  ])('refuses %o at start with a ConfigError naming the variable', (env, message) => {
    expect(() => loadTelemetryConfig(env)).toThrow(ConfigError);
    expect(() => loadTelemetryConfig(env)).toThrow(message);
  });

  it('takes the signal’s own protocol over the general one, which it then does not read', () => {
    const env = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' };
    expect(loadTelemetryConfig(env).tracing?.exporters).toEqual(['otlp']);
  });

  it('never quotes a header value in its error (they hold the collector credentials)', () => {
    for (const headers of ['Authorization', 'Authorization=Bearer%ZZsecret', 'x=ok,Authorization=secret\nline']) {
      const error = (() => {
        try {
          loadTelemetryConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: headers });
        } catch (caught) {
          return caught as Error;
        }
        return undefined;
      })();
      expect(error, headers).toBeInstanceOf(ConfigError);
      expect(error!.message).toMatch(/^OTEL_EXPORTER_OTLP_HEADERS: entry \d/);
      expect(error!.message).not.toMatch(/secret|Bearer|Authorization/);
    }
  });
});

describe('the SDK built from the configuration', () => {
  it('exports over OTLP/HTTP to the configured URL with the configured headers, and shutdown flushes what is buffered', async () => {
    const received: Array<{ url: string | undefined; headers: IncomingHttpHeaders; body: string }> = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ url: req.url, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const port = (collector.address() as AddressInfo).port;
      const config = loadTelemetryConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/otlp`,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20t0ken',
        OTEL_SERVICE_NAME: 'subgraph-under-test',
      }).tracing!;
      const sdk = startTracingSdk(config);
      sdk.tracer.startSpan('query Flushed').end();
      // The batch processor waits up to 5 s before exporting: nothing has gone yet, shutdown sends it.
      expect(received).toEqual([]);
      await sdk.shutdown();
      expect(received).toHaveLength(1);
      expect(received[0]!.url).toBe('/otlp/v1/traces');
      expect(received[0]!.headers.authorization).toBe('Bearer t0ken');
      expect(received[0]!.body).toContain('"query Flushed"');
      expect(received[0]!.body).toContain('"subgraph-under-test"');
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it('samples as configured: always_off records nothing', () => {
    const sdk = startTracingSdk({ ...loadTelemetryConfig({ OTEL_TRACES_EXPORTER: 'console' }).tracing!, sampler: 'always_off' });
    expect(sdk.tracer.startSpan('x').isRecording()).toBe(false);
    return sdk.shutdown();
  });
});

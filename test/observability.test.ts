import { describe, expect, it } from 'vitest';
import { useStack } from '../testkit/use-stack.js';

const stack = useStack({ env: { LOG_LEVEL: 'debug' } });

const metricValue = (text: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}\\{${labels.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

describe('GET /metrics', () => {
  it('counts upstream calls by API and outcome, and batch sizes against the limit', async () => {
    const before = await stack.scrapeMetrics();
    const ids = stack.emulator.data.builds.slice(0, 250).map((build) => build.id);
    await stack.query(`query Dashboard($ids: [ID!]!) { builds(ids: $ids) { id } }`, { ids });
    const response = await fetch(stack.subgraph.metricsUrl);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const calls = (t: string) => metricValue(t, 'subgraph_upstream_calls_total', 'api="codebuild",region="default",outcome="ok"') || 0;
    expect(calls(text) - calls(before)).toBe(stack.emulator.calls.count('codebuild'));
    expect(metricValue(text, 'subgraph_upstream_batch_size_bucket', 'le="50",api="codebuild"')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/subgraph_graphql_request_duration_seconds_count\{operation="Dashboard",outcome="ok"\} 1/);
  });

  it('is served on its own listener only: the public port answers 404', async () => {
    expect(new URL(stack.subgraph.metricsUrl).port).not.toBe(new URL(stack.subgraph.url).port);
    expect((await fetch(`${stack.subgraph.url}/metrics`)).status).toBe(404);
  });
});

describe('request logs', () => {
  it('logs one structured line per request with its id, operation and upstream calls, never its variables', async () => {
    const ids = stack.emulator.data.builds.slice(0, 3).map((build) => build.id);
    const response = await fetch(`${stack.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
      body: JSON.stringify({ query: 'query Three($ids: [ID!]!) { builds(ids: $ids) { id } }', variables: { ids } }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    const line = stack.logs
      .map((raw) => JSON.parse(raw) as Record<string, unknown>)
      .find((entry) => entry.requestId === 'req-42' && entry.msg === 'request finished');
    expect(line).toMatchObject({ operation: 'Three', upstreamCalls: { codebuild: 1 }, outcome: 'ok' });
    expect(JSON.stringify(line)).not.toContain(ids[0]);
    // Strict JSON consumers refuse duplicate keys: the raw line names the request once.
    const raw = stack.logs.find((text) => text.includes('"req-42"') && text.includes('request finished'))!;
    expect(raw.match(/"requestId"/g)).toHaveLength(1);
  });
});

describe('a client that goes away', () => {
  it('is logged as abandoned (debug), never as a request with upstream failures', async () => {
    stack.emulator.faults.set('codebuild', { latencyMs: 1_500 });
    const outcome = (text: string, value: string) =>
      metricValue(text, 'subgraph_upstream_calls_total', `api="codebuild",region="default",outcome="${value}"`) || 0;
    const before = await stack.scrapeMetrics();
    try {
      const id = stack.emulator.data.builds[0]!.id!;
      const gone = fetch(`${stack.subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-gone' },
        body: JSON.stringify({ query: 'query Gone($id: ID!) { build(id: $id) { id } }', variables: { id } }),
        signal: AbortSignal.timeout(300),
      });
      await expect(gone).rejects.toThrow();
      const lines = () =>
        stack.logs.map((raw) => JSON.parse(raw) as Record<string, unknown>).filter((entry) => entry.requestId === 'req-gone');
      const deadline = Date.now() + 5_000;
      while (!lines().some((entry) => String(entry.msg).startsWith('request ')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const finished = lines().filter((entry) => String(entry.msg).startsWith('request '));
      expect(finished).toHaveLength(1);
      expect(finished[0]).toMatchObject({ msg: 'request abandoned by the client', level: 20, outcome: 'abandoned', operation: 'Gone' });
      // The call it cut is counted as what it was (the client's doing), not as an upstream timeout.
      // (The shared call reports when its own fetch settles, which may be just after the request's line.)
      let after = await stack.scrapeMetrics();
      while (outcome(after, 'CLIENT_CLOSED') === outcome(before, 'CLIENT_CLOSED') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await stack.scrapeMetrics();
      }
      expect(outcome(after, 'CLIENT_CLOSED') - outcome(before, 'CLIENT_CLOSED')).toBe(1);
      expect(outcome(after, 'UPSTREAM_TIMEOUT') - outcome(before, 'UPSTREAM_TIMEOUT')).toBe(0);
    } finally {
      stack.emulator.faults.clear();
    }
  });
});

describe('emulator fault control over HTTP', () => {
  const post = (body: string) => fetch(`${stack.emulator.url}/__emulator/faults`, { method: 'POST', body });
  it.each([
    '[1]',
    '"x"',
    'null',
    '{"nope":{}}',
    '{"codebuild":{"type":"bogus"}}',
    '{"codebuild":{"errorRate":2}}',
    '{"codebuild":{"down":"yes"}}',
    '{"codebuild":[]}',
  ])('refuses %s with 400 and a reason, installing nothing', async (body) => {
    stack.emulator.faults.clear();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message.length).toBeGreaterThan(0);
    const id = stack.emulator.data.builds[0]!.id!;
    expect((await stack.query(`query($id: ID!) { build(id: $id) { id } }`, { id })).errors).toBeUndefined();
  });
  it('applies a valid body: the API answers as told', async () => {
    const response = await post('{"codebuild":{"down":true}}');
    expect(response.status).toBe(200);
    const id = stack.emulator.data.builds[0]!.id!;
    const answer = await stack.query(`query($id: ID!) { build(id: $id) { id } }`, { id }, undefined);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    stack.emulator.faults.clear();
  });
});

describe('time budget', () => {
  it("a router's shorter budget header cuts a stalled upstream call short with UPSTREAM_TIMEOUT", async () => {
    stack.emulator.faults.set('codebuild', { stallMs: 3_000 });
    const id = stack.emulator.data.builds[0]!.id;
    const response = await stack.query(`query($id: ID!) { build(id: $id) { id } }`, { id }, { 'x-request-timeout-ms': '300' });
    expect(response.errors).toMatchObject([{ path: ['build'], extensions: { code: 'UPSTREAM_TIMEOUT' } }]);
  });
});

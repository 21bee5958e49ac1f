// Each log line names its request once: pino writes a child logger's bindings and the line's own
// fields side by side, so a requestId given both ways appeared twice (strict JSON readers refuse that).
import { expect, it } from 'vitest';
import { useStack } from '../testkit/use-stack.js';

// Debug: the "request finished" line of a request that went well is logged too.
const stack = useStack({ env: { LOG_LEVEL: 'debug' } });

async function post(requestId: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${stack.subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  await response.text();
}

it('writes requestId at most once on every line, and exactly once on each request line', async () => {
  const ids = stack.emulator.data.builds.slice(0, 3).map((build) => build.id);
  const scans = stack.emulator.data.scans.slice(0, 2).map((scan) => scan.id);
  const before = stack.logs.length;
  await post('rid-ok', 'query Ok($ids: [ID!]!) { builds(ids: $ids) { id } }', { ids });
  // An upstream that fails: the warning line of the request, and whatever the clients log about it.
  stack.emulator.faults.set('codebuild', { down: true });
  stack.emulator.faults.set('advalidation', { down: true });
  try {
    await post('rid-failed', 'query Failed($ids: [ID!]!, $scans: [ID!]!) { builds(ids: $ids) { id } scans(ids: $scans) { id } }', {
      ids,
      scans,
    });
  } finally {
    stack.emulator.faults.clear();
  }
  // A request refused before execution (validation) is logged through the same logger.
  await post('rid-invalid', '{ noSuchField }', {});

  const lines = stack.logs.slice(before);
  expect(lines.length).toBeGreaterThanOrEqual(3);
  for (const raw of lines) expect(raw.match(/"requestId"/g)?.length ?? 0, raw).toBeLessThanOrEqual(1);
  const parsed = lines.map((raw) => JSON.parse(raw) as { requestId?: string; msg: string });
  expect(parsed.find((line) => line.requestId === 'rid-ok')?.msg).toBe('request finished');
  expect(parsed.find((line) => line.requestId === 'rid-failed')?.msg).toBe('request finished with upstream failures');
  expect(parsed.filter((line) => line.requestId === 'rid-invalid').map((line) => line.msg)).toEqual(['request finished']);
});

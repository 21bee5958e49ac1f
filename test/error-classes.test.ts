import { lookup } from 'node:dns/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TYPES_QUERY } from './support/all-types-query.js';
import { startStack, type GraphQLResponse, type Stack } from '../testkit/stack.js';
import { closedPortUrl, startHostileServer, type HostileServer } from './support/hostile-server.js';

/**
 * Error classes tell the truth, for all four clients at once (CodeBuild and Inspector2 official
 * SDK clients, the hand-built CodeGuru Security client, Advalidation's fetch client): a refused,
 * reset or unresolvable connection is UPSTREAM_ERROR ("Could not reach …"); UPSTREAM_TIMEOUT
 * only when the per-attempt timeout or the request's budget really expired.
 */
const FIELDS = ['builds', 'findings', 'findingDetails', 'scans'] as const;
const QUERY = ALL_TYPES_QUERY;

/** Fast retries, a short attempt timeout, and every upstream pointed at `url`. */
function envFor(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_CODEBUILD: url,
    AWS_ENDPOINT_URL_CODEGURU_SECURITY: url,
    AWS_ENDPOINT_URL_INSPECTOR2: url,
    ADVALIDATION_BASE_URL: url,
    AWS_MAX_ATTEMPTS: '2',
    AWS_RETRY_BASE_DELAY_MS: '1',
    AWS_ATTEMPT_TIMEOUT_MS: '300',
    ADVALIDATION_MAX_ATTEMPTS: '2',
    ADVALIDATION_RETRY_BASE_DELAY_MS: '1',
    ADVALIDATION_ATTEMPT_TIMEOUT_MS: '300',
    ADVALIDATION_SETTLED_CACHE_SIZE: '0',
    ...extra,
  };
}

let stack: Stack | undefined;
let hostile: HostileServer | undefined;
afterEach(async () => {
  await stack?.stop();
  await hostile?.close();
  stack = undefined;
  hostile = undefined;
});

async function queryAll(env: Record<string, string>, headers?: Record<string, string>) {
  stack = await startStack({ env });
  const data = stack.emulator.data;
  const variables = {
    builds: data.builds.slice(0, 3).map((build) => build.id!),
    findings: data.findings.slice(0, 3).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! })),
    arns: data.inspector.details.slice(0, 3).map((detail) => detail.findingArn!),
    scans: data.scans.slice(0, 2).map((scan) => String(scan.id)),
  };
  const started = performance.now();
  const response = await stack.query(QUERY, variables, headers);
  return { response, ms: performance.now() - started };
}

/** One [code, upstreamCode] per failed field, and the message of each. */
function classesByField(response: GraphQLResponse) {
  const byField = new Map<string, Set<string>>();
  const messages = new Map<string, Set<string>>();
  for (const error of response.errors ?? []) {
    const field = String(error.path?.[0]);
    if (!byField.has(field)) {
      byField.set(field, new Set());
      messages.set(field, new Set());
    }
    byField.get(field)!.add(`${String(error.extensions?.code)} ${String(error.extensions?.upstreamCode)}`);
    messages.get(field)!.add(error.message);
  }
  return { byField, messages };
}

/**
 * Advalidation's client drops the network error's cause on purpose (undici's messages can quote
 * request headers), so it names no code: its connection failures read "no connection could be made".
 */
const ADVALIDATION_UNREACHABLE = /^Could not reach Advalidation: no connection could be made\.$/;

/**
 * Advalidation's pacing plans against the budget: before its first answer it sends one call
 * alone, so with a short budget and a stalled first call the scans it cannot reach in time are
 * answered THROTTLED at once (the rate limit's own answer) rather than left to expire.
 */
const PACED_OUT = 'THROTTLED RateLimited';

function expectEveryField(response: GraphQLResponse, code: string, upstreamCode: string, message: RegExp): void {
  const { byField, messages } = classesByField(response);
  for (const field of FIELDS) {
    if (field === 'scans' && upstreamCode === 'BUDGET_EXPIRED' && byField.get(field)?.has(PACED_OUT)) {
      // At least the call that went out expired with the budget; the rest were paced out.
      expect(byField.get(field)).toEqual(new Set([`${code} ${upstreamCode}`, PACED_OUT]));
      continue;
    }
    const unreachableScans = field === 'scans' && code === 'UPSTREAM_ERROR';
    expect(byField.get(field), field).toEqual(new Set([`${code} ${unreachableScans ? 'UNREACHABLE' : upstreamCode}`]));
    for (const text of messages.get(field)!) expect(text, field).toMatch(unreachableScans ? ADVALIDATION_UNREACHABLE : message);
  }
}

describe('connection failures are UPSTREAM_ERROR, never a timeout', () => {
  it('a socket destroyed after the request: ECONNRESET, "Could not reach", well before any timeout', async () => {
    hostile = await startHostileServer('reset');
    const { response, ms } = await queryAll(
      envFor(hostile.url, { AWS_ATTEMPT_TIMEOUT_MS: '5000', ADVALIDATION_ATTEMPT_TIMEOUT_MS: '5000' }),
    );
    expectEveryField(response, 'UPSTREAM_ERROR', 'ECONNRESET', /^Could not reach .+: the connection was reset\.$/);
    // The requests did arrive (then the socket was destroyed), and were retried.
    expect(hostile.requests).toBeGreaterThanOrEqual(8);
    expect(ms).toBeLessThan(5000);
  });

  it('a closed port: ECONNREFUSED', async () => {
    const { response } = await queryAll(envFor(await closedPortUrl()));
    expectEveryField(response, 'UPSTREAM_ERROR', 'ECONNREFUSED', /^Could not reach .+: the connection was refused\.$/);
  });

  it('an unknown host (.invalid never resolves): ENOTFOUND', async () => {
    // RFC 6761 reserves .invalid; this machine's resolver answers it at once (checked, not assumed).
    const before = performance.now();
    await expect(lookup('upstream.nothing.invalid')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(performance.now() - before).toBeLessThan(2000);
    const { response } = await queryAll(envFor('http://upstream.nothing.invalid:4599'));
    expectEveryField(response, 'UPSTREAM_ERROR', 'ENOTFOUND', /^Could not reach .+: its host name does not resolve\.$/);
  });
});

describe('timeouts are UPSTREAM_TIMEOUT only when a limit of ours expired', () => {
  it('a stalled response: the per-attempt timeout expires on every attempt', async () => {
    hostile = await startHostileServer('stall');
    const { response } = await queryAll(envFor(hostile.url));
    expectEveryField(response, 'UPSTREAM_TIMEOUT', 'ATTEMPT_TIMEOUT', /did not answer within the per-attempt timeout/);
    // Two attempts per call, so the timeout really cut each attempt and the retry was made.
    expect(hostile.requests).toBeGreaterThanOrEqual(8);
  });

  it('a body that stalls after the headers is an attempt timeout too', async () => {
    hostile = await startHostileServer('stall-body');
    const { response } = await queryAll(envFor(hostile.url));
    expectEveryField(response, 'UPSTREAM_TIMEOUT', 'ATTEMPT_TIMEOUT', /did not answer within the per-attempt timeout/);
  });

  it("a stall longer than the request's budget: the budget expired", async () => {
    hostile = await startHostileServer('stall');
    const { response, ms } = await queryAll(
      envFor(hostile.url, { AWS_ATTEMPT_TIMEOUT_MS: '10000', ADVALIDATION_ATTEMPT_TIMEOUT_MS: '10000' }),
      { 'x-request-timeout-ms': '400' },
    );
    expectEveryField(response, 'UPSTREAM_TIMEOUT', 'BUDGET_EXPIRED', /did not answer within the request's time budget/);
    expect(ms).toBeLessThan(5000);
  });
});

describe('the emulator path is unchanged', () => {
  let healthy: Stack;
  beforeAll(async () => {
    healthy = await startStack();
    return () => healthy.stop();
  });
  it('5xx stays "failed to answer (HTTP 500)"', async () => {
    healthy.emulator.faults.set('codebuild', { down: true });
    const response = await healthy.query(
      `query($ids: [ID!]!) { builds(ids: $ids) { id } }`,
      { ids: [healthy.emulator.data.builds[0]!.id!] },
      undefined,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    expect(response.errors?.[0]?.message).toMatch(/failed to answer \(HTTP 500\)/);
  });
});

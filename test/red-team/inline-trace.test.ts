import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD } from '../../bench/entities.js';
import { startStack, type Stack } from '../../testkit/stack.js';
import { post } from './support.js';

/**
 * Red-team M1: any caller sending `apollo-federation-include-trace: ftv1` got an inline trace,
 * added after MAX_RESPONSE_BYTES was checked (a 3000-byte cap gave a 48,930-byte refusal; 1000
 * builds went from 10.4 MB to 29.4 MB). A trace is now for the authenticated router only, and
 * the cap counts it.
 */

const SECRET = 'router-secret-for-tests-0123456789';
const TRACE = { 'apollo-federation-include-trace': 'ftv1' };
const ROUTER = { 'router-authorization': SECRET };
const QUERY = `query($ids: [ID!]!) { builds(ids: $ids) { id buildStatus projectName } }`;

const traceOf = (answer: Awaited<ReturnType<typeof post>>) => (answer.body as { extensions?: { ftv1?: unknown } }).extensions?.ftv1;

describe('inline traces without ROUTER_SECRET', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('answers a caller asking for a trace without one, as it answers any other', async () => {
    const variables = { ids: BUILD.keys(stack.emulator.data, 5) };
    const plain = await post(stack, { query: QUERY, variables });
    const asked = await post(stack, { query: QUERY, variables }, TRACE);
    expect(asked.status).toBe(200);
    expect(traceOf(asked)).toBeUndefined();
    expect(asked.text).toBe(plain.text);
  });
});

describe('inline traces with ROUTER_SECRET', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ROUTER_SECRET: SECRET } });
  });
  afterAll(() => stack?.stop());

  it('gives the authenticated router a trace when it asks, and none when it does not', async () => {
    const variables = { ids: BUILD.keys(stack.emulator.data, 5) };
    const traced = await post(stack, { query: QUERY, variables }, { ...ROUTER, ...TRACE });
    expect(traced.status).toBe(200);
    expect(traceOf(traced)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(traced.body.data).toBeDefined();
    expect(traceOf(await post(stack, { query: QUERY, variables }, ROUTER))).toBeUndefined();
    // Anyone else is still refused before Apollo, trace header or not.
    expect((await post(stack, { query: QUERY, variables }, TRACE)).status).toBe(401);
  });

  it('counts the trace under MAX_RESPONSE_BYTES: an answer that fits only without it is refused with it, and the refusal carries none', async () => {
    const variables = { ids: BUILD.keys(stack.emulator.data, 12) };
    const plainBytes = Buffer.byteLength((await post(stack, { query: QUERY, variables }, ROUTER)).text);
    const tracedBytes = Buffer.byteLength((await post(stack, { query: QUERY, variables }, { ...ROUTER, ...TRACE })).text);
    const cap = Math.floor((plainBytes + tracedBytes) / 2);
    // The cap's lowest setting is 1024; the query is sized so that the cap falls between the two.
    expect(cap).toBeGreaterThanOrEqual(1024);
    expect(plainBytes).toBeLessThan(cap);
    expect(tracedBytes).toBeGreaterThan(cap);

    const capped = await startStack({ env: { ROUTER_SECRET: SECRET, MAX_RESPONSE_BYTES: String(cap) } });
    try {
      const untraced = await post(capped, { query: QUERY, variables }, ROUTER);
      expect(untraced.status).toBe(200);
      expect(untraced.body.errors).toBeUndefined();
      const refused = await post(capped, { query: QUERY, variables }, { ...ROUTER, ...TRACE });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxResponseBytes: cap });
      expect(traceOf(refused)).toBeUndefined();
      expect(Buffer.byteLength(refused.text)).toBeLessThanOrEqual(cap);
    } finally {
      await capped.stop();
    }
  });
});

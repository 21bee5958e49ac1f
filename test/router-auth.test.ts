import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from '../testkit/stack.js';

let stack: Stack;
const SECRET = 'router-shared-secret-for-tests';
beforeAll(async () => {
  stack = await startStack({ env: { ROUTER_SECRET: SECRET } });
});
afterAll(() => stack.stop());

const post = (headers: Record<string, string>) =>
  fetch(`${stack.subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ __typename }' }),
  });

it('answers 401 UNAUTHENTICATED without the router-authorization header, or with a wrong one', async () => {
  const attempts: Array<Record<string, string>> = [{}, { 'router-authorization': 'wrong' }, { 'router-authorization': `${SECRET}x` }];
  for (const headers of attempts) {
    const response = await post(headers);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string }; message: string }> };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(body)).not.toContain(SECRET);
  }
  expect(stack.emulator.calls.entries).toHaveLength(0);
});

it('serves the router when the header matches, and /health stays open', async () => {
  const response = await post({ 'router-authorization': SECRET });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  expect((await fetch(`${stack.subgraph.url}/health`)).status).toBe(200);
});

it('refuses a GET carrying an operation in any spelling, even from a browser-like client', async () => {
  const query = encodeURIComponent(`{ build(id: "${stack.emulator.data.builds[0]!.id}") { id } }`);
  for (const search of [`?query=${query}`, `?%71uery=${query}`, `?q%75ery=${query}`]) {
    const response = await fetch(`${stack.subgraph.url}/graphql${search}`, {
      headers: { accept: 'application/json, text/html;q=0.1', 'apollo-require-preflight': '1' },
    });
    expect(response.status, search).toBe(401);
  }
  expect(stack.emulator.calls.entries).toHaveLength(0);
  // The bare landing page stays reachable for a browser.
  expect((await fetch(`${stack.subgraph.url}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(200);
});

import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMPANION_SDL, startCompanionSubgraph, type ReleaseKeys } from './support/companion-subgraph.js';
import { startStack, type Stack } from './support/harness.js';

/**
 * A real gateway in front of this subgraph and a second one that references all four entities:
 * queries join across the two, and the emulator's call log shows that the gateway's
 * `_entities` fetches were batched to the minimum upstream calls.
 */
let stack: Stack;
let companion: { url: string; stop(): Promise<void> };
let gateway: { url: string; stop(): Promise<void> };
let release: ReleaseKeys;

beforeAll(async () => {
  // @apollo/gateway refuses supergraphs with authorization features: strip them (see README).
  stack = await startStack({ env: { AUTHORIZATION_DIRECTIVES: 'strip' } });
  const data = stack.emulator.data;
  release = {
    buildIds: data.builds.slice(0, 250).map((build) => build.id!),
    findings: [],
    findingArns: [],
    scanIds: [],
  };
  companion = await startCompanionSubgraph({ r1: release });
  const sdl = (await stack.query<{ _service: { sdl: string } }>('{ _service { sdl } }')).data!._service.sdl;
  const composed = composeServices([
    { name: 'appsec', typeDefs: parse(sdl), url: `${stack.subgraph.url}/graphql` },
    { name: 'releases', typeDefs: parse(COMPANION_SDL), url: companion.url },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  gateway = { url, stop: () => server.stop() };
});
afterAll(async () => {
  await gateway?.stop();
  await companion?.stop();
  await stack?.stop();
});
beforeEach(() => stack.emulator.reset());

async function viaGateway<T>(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: unknown[] }> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: T; errors?: unknown[] };
}

describe('behind @apollo/gateway', () => {
  it('joins 250 builds from the other subgraph with 3 BatchGetBuilds calls', async () => {
    const response = await viaGateway<{ release: { name: string; builds: Array<{ id: string; projectName: string }> } }>(
      `{ release(id: "r1") { name builds { id projectName buildStatus } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.release.builds.map((build) => build.id)).toEqual(release.buildIds);
    const byId = new Map(stack.emulator.data.builds.map((build) => [build.id, build]));
    expect(response.data!.release.builds.every((build) => build.projectName === byId.get(build.id)!.projectName)).toBe(true);
    expect(stack.emulator.calls.count('codebuild')).toBe(3);
  });
});

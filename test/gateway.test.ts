import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMPANION_SDL, startCompanionSubgraph, type ReleaseKeys } from '../testkit/companion-subgraph.js';
import { startStack, type Stack } from '../testkit/stack.js';

/**
 * A real gateway in front of this subgraph and a second one that references all four entities:
 * queries join across the two, and the emulator's call log shows that the gateway's
 * `_entities` fetches were batched to the minimum upstream calls.
 */
let stack: Stack;
let companion: { url: string; stop(): Promise<void> };
let gateway: { url: string; stop(): Promise<void> };
let release: ReleaseKeys;
let aliased: string[][];

beforeAll(async () => {
  // @apollo/gateway refuses supergraphs with authorization features: strip them (see README).
  stack = await startStack({ env: { AUTHORIZATION_DIRECTIVES: 'strip', ADVALIDATION_SETTLED_CACHE_SIZE: '0' } });
  const data = stack.emulator.data;
  release = {
    buildIds: data.builds.slice(0, 250).map((build) => build.id!),
    findings: data.findings.slice(0, 100).map(({ scanName, finding }) => ({ scanName, id: finding.id! })),
    // 30 in us-east-1 and 12 in eu-west-1: ceil(30/10) + ceil(12/10) = 5 calls.
    findingArns: [
      ...data.inspector.details.filter((detail) => detail.findingArn!.includes(':us-east-1:')).slice(0, 30),
      ...data.inspector.details.filter((detail) => detail.findingArn!.includes(':eu-west-1:')).slice(0, 12),
    ].map((detail) => detail.findingArn!),
    scanIds: data.scans.slice(0, 8).map((scan) => String(scan.id)),
  };
  // 31 small releases of 8 builds each (248 distinct builds): queried under 31 aliases, which
  // @apollo/gateway sends as 31 separate subgraph requests.
  aliased = Array.from({ length: 31 }, (_, i) => data.builds.slice(300 + i * 8, 308 + i * 8).map((build) => build.id!));
  const small = Object.fromEntries(
    aliased.map((buildIds, i) => [`a${i}`, { buildIds, findings: [], findingArns: [], scanIds: [] } satisfies ReleaseKeys]),
  );
  companion = await startCompanionSubgraph({ r1: release, ...small });
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
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: unknown[] };
}

describe('behind @apollo/gateway', () => {
  it('joins 250 builds and 100 findings (and details and scans) with the minimum upstream calls', async () => {
    const response = await viaGateway<{
      release: {
        builds: Array<{ id: string; buildStatus: string }>;
        findings: Array<{ scanName: string; id: string; title: string }>;
        findingDetails: Array<{ findingArn: string; riskScore: number }>;
        scans: Array<{ id: string; processingStatus: string }>;
      };
    }>(`{
      release(id: "r1") {
        builds { id buildStatus }
        findings { scanName id title }
        findingDetails { findingArn riskScore }
        scans { id processingStatus }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const got = response.data!.release;
    expect(got.builds.map((build) => build.id)).toEqual(release.buildIds);
    expect(got.findings.map(({ scanName, id }) => ({ scanName, id }))).toEqual(release.findings);
    const titles = new Map(stack.emulator.data.findings.map(({ scanName, finding }) => [`${scanName}/${finding.id}`, finding.title]));
    expect(got.findings.every((finding) => finding.title === titles.get(`${finding.scanName}/${finding.id}`))).toBe(true);
    expect(got.findingDetails.map((detail) => detail.findingArn)).toEqual(release.findingArns);
    expect(got.scans.map((scan) => scan.id)).toEqual(release.scanIds);
    // The gateway sent _entities fetches; the loaders turned them into the minimum calls.
    expect(stack.emulator.calls.count('codebuild')).toBe(3);
    expect(stack.emulator.calls.count('codeguru-security')).toBe(4);
    expect(stack.emulator.calls.count('inspector2', (call) => call.region === 'us-east-1')).toBe(3);
    expect(stack.emulator.calls.count('inspector2', (call) => call.region === 'eu-west-1')).toBe(2);
    expect(stack.emulator.calls.count('advalidation')).toBe(8);
  });

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

  it('31 aliases the gateway fetches as 31 separate subgraph requests cost the minimum: 3 calls for 248 builds, not 31', async () => {
    const query = `{ ${aliased.map((_, i) => `a${i}: release(id: "a${i}") { builds { id projectName } }`).join(' ')} }`;
    // A router keeps its connections to a subgraph open; the first query opens them.
    await viaGateway(query);
    stack.emulator.reset();
    const response = await viaGateway<Record<string, { builds: Array<{ id: string }> }>>(query);
    expect(response.errors).toBeUndefined();
    aliased.forEach((ids, i) => expect(response.data![`a${i}`]!.builds.map((build) => build.id)).toEqual(ids));
    const calls = stack.emulator.calls.of('codebuild');
    expect(calls.flatMap((call) => call.keys).sort()).toEqual(aliased.flat().sort());
    expect(calls).toHaveLength(3);
  });
});

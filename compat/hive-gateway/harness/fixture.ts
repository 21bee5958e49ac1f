import { COMPANION_SDL, startCompanionSubgraph, type ReleaseKeys } from '../../../testkit/companion-subgraph.js';
import { startStack, type Stack } from '../../../testkit/stack.js';
import { composeSupergraph } from './supergraph.js';

/** The subgraph's shared secret for this run: the gateway must send it, nobody else has it. */
export const ROUTER_SECRET = 'hive-gateway-compat-router-secret';

export interface Fixture {
  stack: Stack;
  /** The keys release r1 of the companion subgraph references (the same set as test/gateway.test.ts). */
  release: ReleaseKeys;
  supergraphSdl: string;
  stop(): Promise<void>;
}

/**
 * The repository's own stack (emulator + this subgraph, production defaults for secrets:
 * ROUTER_SECRET set, SENSITIVE_FIELDS=deny, authorization directives kept in the SDL), the
 * companion subgraph that references all four entities, and their supergraph.
 */
export async function startFixture(): Promise<Fixture> {
  const stack = await startStack({ env: { ROUTER_SECRET, SENSITIVE_FIELDS: 'deny', ADVALIDATION_SETTLED_CACHE_SIZE: '0' } });
  const data = stack.emulator.data;
  const release: ReleaseKeys = {
    buildIds: data.builds.slice(0, 250).map((build) => build.id!),
    findings: data.findings.slice(0, 100).map(({ scanName, finding }) => ({ scanName, id: finding.id! })),
    // 30 in us-east-1 and 12 in eu-west-1: ceil(30/10) + ceil(12/10) = 5 calls.
    findingArns: [
      ...data.inspector.details.filter((detail) => detail.findingArn!.includes(':us-east-1:')).slice(0, 30),
      ...data.inspector.details.filter((detail) => detail.findingArn!.includes(':eu-west-1:')).slice(0, 12),
    ].map((detail) => detail.findingArn!),
    scanIds: data.scans.slice(0, 8).map((scan) => String(scan.id)),
  };
  const companion = await startCompanionSubgraph({ r1: release }).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  try {
    // The SDL as the subgraph serves it to the router (it, too, needs the secret).
    const sdl = (await stack.query<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, { 'router-authorization': ROUTER_SECRET }))
      .data!._service.sdl;
    const supergraphSdl = composeSupergraph([
      { name: 'appsec', sdl, url: `${stack.subgraph.url}/graphql` },
      { name: 'releases', sdl: COMPANION_SDL, url: companion.url },
    ]);
    return {
      stack,
      release,
      supergraphSdl,
      async stop() {
        await companion.stop();
        await stack.stop();
      },
    };
  } catch (error) {
    await companion.stop();
    await stack.stop();
    throw error;
  }
}

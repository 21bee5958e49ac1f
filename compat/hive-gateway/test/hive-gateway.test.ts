import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { post } from '../harness/client.js';
import { ROUTER_SECRET, startFixture, type Fixture } from '../harness/fixture.js';
import { startHiveGateway, type GatewayRuntimeKind, type RunningGateway } from '../harness/gateway.js';
import { JWT_SIGNING_KEY, SENSITIVE_SCOPE, signToken } from '../harness/tokens.js';

/**
 * Hive Gateway (its runtime in-process, over real HTTP) in front of this subgraph and the
 * companion subgraph, with both of its query planners. What is counted comes from the
 * emulator's call log, as in test/gateway.test.ts. Queries name fields only (no fragments on
 * value types), so renaming a value type does not break them.
 */
const RUNTIMES: readonly GatewayRuntimeKind[] = ['default', 'router'];

interface EnvironmentVariable {
  name: string | null;
  value?: string | null;
}
interface SensitiveRelease {
  release: { builds: Array<{ id: string; environment: { environmentVariables: EnvironmentVariable[] | null } | null }> };
}
const SENSITIVE_QUERY = `{ release(id: "r1") { builds { id environment { environmentVariables { name value } } } } }`;

let fixture: Fixture;
before(async () => {
  fixture = await startFixture();
});
after(async () => {
  await fixture?.stop();
});
beforeEach(() => fixture.stack.emulator.reset());

/** What the emulator holds for each build's environment variables: the truth responses are compared with. */
function seededVariables(buildIds: readonly string[]): Map<string, Array<{ name: string; value: string }>> {
  const byId = new Map(fixture.stack.emulator.data.builds.map((build) => [build.id!, build]));
  return new Map(
    buildIds.map((id) => [
      id,
      (byId.get(id)!.environment?.environmentVariables ?? []).map((variable) => ({ name: variable.name!, value: variable.value! })),
    ]),
  );
}

for (const runtime of RUNTIMES) {
  describe(`behind Hive Gateway (${runtime} runtime)`, () => {
    let gateway: RunningGateway;
    /** The same gateway without the subgraph's secret in its transport: the control for `router-authorization`. */
    let withoutSecret: RunningGateway;
    let token: string;
    let sensitiveToken: string;
    before(async () => {
      gateway = await startHiveGateway({ supergraphSdl: fixture.supergraphSdl, runtime, routerSecret: ROUTER_SECRET });
      withoutSecret = await startHiveGateway({ supergraphSdl: fixture.supergraphSdl, runtime });
      token = await signToken([]);
      sensitiveToken = await signToken([SENSITIVE_SCOPE]);
    });
    after(async () => {
      await gateway?.stop();
      await withoutSecret?.stop();
    });

    it('joins 250 builds and 100 findings (and details and scans) with the minimum upstream calls', async () => {
      const { status, body } = await post<{
        release: {
          builds: Array<{ id: string; buildStatus: string }>;
          findings: Array<{ scanName: string; id: string; title: string }>;
          findingDetails: Array<{ findingArn: string; riskScore: number }>;
          scans: Array<{ id: string; processingStatus: string }>;
        };
      }>(
        gateway.url,
        `{
          release(id: "r1") {
            builds { id buildStatus }
            findings { scanName id title }
            findingDetails { findingArn riskScore }
            scans { id processingStatus }
          }
        }`,
        token,
      );
      assert.equal(status, 200);
      assert.equal(body.errors, undefined);
      const { release } = fixture;
      const got = body.data!.release;
      const data = fixture.stack.emulator.data;
      assert.deepEqual(
        got.builds.map((build) => build.id),
        release.buildIds,
      );
      const statuses = new Map(data.builds.map((build) => [build.id, build.buildStatus]));
      assert.ok(got.builds.every((build) => build.buildStatus === statuses.get(build.id)));
      assert.deepEqual(
        got.findings.map(({ scanName, id }) => ({ scanName, id })),
        release.findings,
      );
      const titles = new Map(data.findings.map(({ scanName, finding }) => [`${scanName}/${finding.id}`, finding.title]));
      assert.ok(got.findings.every((finding) => finding.title === titles.get(`${finding.scanName}/${finding.id}`)));
      assert.deepEqual(
        got.findingDetails.map((detail) => detail.findingArn),
        release.findingArns,
      );
      assert.ok(got.findingDetails.every((detail) => typeof detail.riskScore === 'number'));
      assert.deepEqual(
        got.scans.map((scan) => scan.id),
        release.scanIds,
      );
      assert.ok(got.scans.every((scan) => typeof scan.processingStatus === 'string'));
      // The gateway sent _entities fetches; the loaders turned them into the minimum calls:
      // 250 builds / 100 per BatchGetBuilds, 100 findings / 25 per BatchGetFindings,
      // 30 + 12 details / 10 per BatchGetFindingDetails per region, one scan per call.
      const calls = fixture.stack.emulator.calls;
      assert.equal(calls.count('codebuild'), 3);
      assert.equal(calls.count('codeguru-security'), 4);
      assert.equal(
        calls.count('inspector2', (call) => call.region === 'us-east-1'),
        3,
      );
      assert.equal(
        calls.count('inspector2', (call) => call.region === 'eu-west-1'),
        2,
      );
      assert.equal(calls.count('advalidation'), 8);
    });

    it('joins 250 builds from the other subgraph with 3 BatchGetBuilds calls', async () => {
      const { body } = await post<{ release: { name: string; builds: Array<{ id: string; projectName: string }> } }>(
        gateway.url,
        `{ release(id: "r1") { name builds { id projectName } } }`,
        token,
      );
      assert.equal(body.errors, undefined);
      assert.equal(body.data!.release.name, 'release r1');
      const byId = new Map(fixture.stack.emulator.data.builds.map((build) => [build.id, build]));
      assert.deepEqual(
        body.data!.release.builds.map((build) => build.id),
        fixture.release.buildIds,
      );
      assert.ok(body.data!.release.builds.every((build) => build.projectName === byId.get(build.id)!.projectName));
      assert.equal(fixture.stack.emulator.calls.count('codebuild'), 3);
    });

    it(`serves @requiresScopes values to a JWT carrying ${SENSITIVE_SCOPE}`, async () => {
      const { status, body } = await post<SensitiveRelease>(gateway.url, SENSITIVE_QUERY, sensitiveToken);
      assert.equal(status, 200);
      assert.equal(body.errors, undefined);
      // SENSITIVE_FIELDS=deny: the subgraph serves these values only to a request carrying
      // router-authorization, so their presence shows the gateway's request carried it.
      const expected = seededVariables(fixture.release.buildIds);
      const values = [...expected.values()].flat();
      assert.ok(values.length >= fixture.release.buildIds.length, 'the seed gives every build environment variables');
      for (const build of body.data!.release.builds) assert.deepEqual(build.environment!.environmentVariables, expected.get(build.id));
      assert.equal(fixture.stack.emulator.calls.count('codebuild'), 3);
    });

    it('withholds them from a JWT without the scope: an unauthorized error at that field, no value, the rest intact', async () => {
      const { status, body } = await post<SensitiveRelease>(gateway.url, SENSITIVE_QUERY, token);
      // Generic auth marks its error with HTTP 401, and the gateway answers 401 even with partial data.
      assert.equal(status, 401);
      assert.ok(body.errors && body.errors.length > 0);
      for (const error of body.errors) {
        // The gateway's own error (the subgraph's would be FORBIDDEN): the field was removed before planning.
        assert.equal(error.extensions?.code, 'UNAUTHORIZED_FIELD_OR_TYPE');
        assert.equal(error.message, 'Unauthorized field or type');
        assert.deepEqual(error.path?.slice(-2), ['environmentVariables', 'value']);
      }
      const expected = seededVariables(fixture.release.buildIds);
      for (const build of body.data!.release.builds) {
        const variables = build.environment!.environmentVariables!;
        assert.deepEqual(
          variables.map((variable) => variable.name),
          expected.get(build.id)!.map((variable) => variable.name),
        );
        assert.ok(variables.every((variable) => variable.value === undefined || variable.value === null));
      }
      const text = JSON.stringify(body);
      for (const { value } of [...expected.values()].flat()) {
        // Short values ("dev") may occur elsewhere by chance; the secret references are long and unique.
        if (value.length > 8) assert.ok(!text.includes(value), `${value} leaked`);
      }
      assert.equal(fixture.stack.emulator.calls.count('codebuild'), 3);
    });

    it('refuses a request without a JWT, or with one signed by another key, before any upstream call (401 Unauthenticated)', async () => {
      const forged = await signToken([SENSITIVE_SCOPE], `${JWT_SIGNING_KEY}-forged`);
      for (const credential of [undefined, forged]) {
        const { status, body } = await post(gateway.url, SENSITIVE_QUERY, credential);
        assert.equal(status, 401);
        assert.deepEqual(body, { errors: [{ message: 'Unauthenticated' }] });
      }
      assert.equal(fixture.stack.emulator.calls.entries.length, 0);
    });

    it('carries router-authorization to the subgraph: without it the subgraph refuses the gateway', async () => {
      const query = `{ release(id: "r1") { builds { id buildStatus } } }`;
      // Direct, the subgraph answers 401 to anyone without the secret...
      const direct = await post(`${fixture.stack.subgraph.url}/graphql`, `{ __typename }`);
      assert.equal(direct.status, 401);
      // ...and so to a gateway whose transport does not send it, while the configured one is served.
      const refused = await post(withoutSecret.url, query, token);
      assert.ok(refused.body.errors && refused.body.errors.length > 0);
      for (const error of refused.body.errors) {
        assert.equal(error.extensions?.code, 'UNAUTHENTICATED');
        assert.equal(error.extensions?.serviceName, 'appsec');
      }
      assert.equal(fixture.stack.emulator.calls.entries.length, 0);
      const served = await post<{ release: { builds: Array<{ buildStatus: string | null }> } }>(gateway.url, query, token);
      assert.equal(served.body.errors, undefined);
      assert.ok(served.body.data!.release.builds.every((build) => typeof build.buildStatus === 'string'));
      assert.equal(fixture.stack.emulator.calls.count('codebuild'), 3);
    });
  });
}

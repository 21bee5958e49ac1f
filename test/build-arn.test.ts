import { describe, expect, it } from 'vitest';
import { parseBuildArn } from '../src/upstreams/codebuild/build-arn.js';
import { useStack } from '../testkit/use-stack.js';

/**
 * Build ARNs are keys too: an ARN names the same build as its id (same cache entry, one id in
 * one call), and the auto-retry builds CodeBuild names by ARN are `Build` fields resolved
 * through the same loader, so a list of builds with their retries costs the minimum calls.
 */
const stack = useStack();

type Item = { id: string; arn?: string } | null;
const builds = () => stack.emulator.data.builds;

describe('a build ARN works wherever a build id does', () => {
  it('the id and the ARN of one build, in one request: one entity, one id asked, one call', async () => {
    const build = builds()[7]!;
    const response = await stack.query<{ byId: { id: string }; byArn: { id: string }; list: Item[] }>(
      `query($id: ID!, $arn: ID!) { byId: build(id: $id) { id } byArn: build(id: $arn) { id arn } list: builds(ids: [$arn, $id]) { id } }`,
      { id: build.id, arn: build.arn },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.byArn).toEqual({ id: build.id, arn: build.arn });
    expect(response.data!.list).toEqual([{ id: build.id }, { id: build.id }]);
    expect(stack.emulator.calls.of('codebuild').map((call) => call.keys)).toEqual([[build.id]]);
  });

  it("an ARN in the router's _entities representations resolves the build", async () => {
    const build = builds()[3]!;
    const response = await stack.query<{ _entities: Item[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Build { id } } }`,
      {
        r: [{ __typename: 'Build', id: build.arn }],
      },
    );
    expect(response.data!._entities).toEqual([{ id: build.id }]);
  });

  it('malformed ARNs, or ARNs of another region, are refused before any call; neighbours are served', async () => {
    const good = builds()[0]!;
    const id = good.id!;
    const bad = [
      `arn:aws:codebuild:eu-west-1:123456789012:build/${id}`, // another region than the client's
      `arn:aws:codebuild:us-east-1:12345:build/${id}`, // account not 12 digits
      `arn:aws:codebuild:us-east-1:123456789012:project/${id}`, // not a build
      `arn:aws:codedeploy:us-east-1:123456789012:build/${id}`, // another service
      `arn:aws:codebuild:us-east-1:123456789012:build/${id.split(':')[0]}:not-a-uuid`,
      'arn:nope',
    ];
    const response = await stack.query<{ builds: Item[] }>(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, { ids: [...bad, id] });
    expect(response.data!.builds.map((b) => b?.id ?? null)).toEqual([...bad.map(() => null), id]);
    const codes = (response.errors ?? []).map((error) => [error.path![1], error.extensions!.code]);
    expect(codes).toEqual(bad.map((_, index) => [index, 'BAD_USER_INPUT']));
    expect(response.errors![0]!.message).toBe(
      `Build ARN "${bad[0]}" names region eu-west-1, but this subgraph reads CodeBuild in us-east-1.`,
    );
    expect(stack.emulator.calls.keysAsked('codebuild')).toEqual([id]);
  });

  it("a well-formed ARN of another account is not that account's build, even with a known id", async () => {
    const build = builds()[1]!;
    const foreign = build.arn!.replace(':123456789012:', ':210987654321:');
    const response = await stack.query<{ build: Item }>(`query($id: ID!) { build(id: $id) { id } }`, { id: foreign });
    expect(response.data!.build).toBeNull();
    expect(response.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});

describe('auto-retry builds are Build fields', () => {
  const QUERY = `query($ids: [ID!]!) { builds(ids: $ids) { id autoRetryConfig { autoRetryNumber nextAutoRetry previousAutoRetry nextAutoRetryBuild { id autoRetryConfig { previousAutoRetry } } previousAutoRetryBuild { id } } } }`;
  type Row = {
    id: string;
    autoRetryConfig: {
      autoRetryNumber: number;
      nextAutoRetry: string | null;
      previousAutoRetry: string | null;
      nextAutoRetryBuild: { id: string; autoRetryConfig: { previousAutoRetry: string | null } } | null;
      previousAutoRetryBuild: { id: string } | null;
    };
  };

  it('the seeded data links retries by ARN, as CodeBuild does: first builds have no previousAutoRetry', () => {
    const byArn = new Map(builds().map((build) => [build.arn, build]));
    const firsts = builds().filter((build) => build.autoRetryConfig!.autoRetryNumber === 0);
    expect(firsts.length).toBeGreaterThan(0);
    for (const build of firsts) expect('previousAutoRetry' in build.autoRetryConfig!).toBe(false);
    const linked = builds().filter((build) => build.autoRetryConfig!.nextAutoRetry);
    expect(linked.length).toBeGreaterThan(10);
    for (const build of linked) {
      const retry = byArn.get(build.autoRetryConfig!.nextAutoRetry!)!;
      expect(parseBuildArn(build.autoRetryConfig!.nextAutoRetry!)?.id).toBe(retry.id);
      expect(retry.autoRetryConfig).toMatchObject({
        previousAutoRetry: build.arn,
        autoRetryNumber: build.autoRetryConfig!.autoRetryNumber! + 1,
      });
    }
    // Members with nothing to say are absent, never empty strings.
    expect(builds().some((build) => build.autoRetryConfig!.nextAutoRetry === '' || build.autoRetryConfig!.previousAutoRetry === '')).toBe(
      false,
    );
  });

  it('80 builds with their next and previous retries: the minimum calls, each retry the build its ARN names', async () => {
    const asked = builds().slice(0, 80);
    const ids = asked.map((build) => build.id!);
    const response = await stack.query<{ builds: Row[] }>(QUERY, { ids });
    expect(response.errors).toBeUndefined();
    const byArn = new Map(builds().map((build) => [build.arn, build]));
    response.data!.builds.forEach((row, index) => {
      const config = asked[index]!.autoRetryConfig!;
      expect(row.autoRetryConfig.nextAutoRetryBuild?.id ?? null).toBe(config.nextAutoRetry ? byArn.get(config.nextAutoRetry)!.id : null);
      expect(row.autoRetryConfig.previousAutoRetryBuild?.id ?? null).toBe(
        config.previousAutoRetry ? byArn.get(config.previousAutoRetry)!.id : null,
      );
      if (row.autoRetryConfig.nextAutoRetryBuild)
        expect(row.autoRetryConfig.nextAutoRetryBuild.autoRetryConfig.previousAutoRetry).toBe(asked[index]!.arn);
    });
    // Minimum: one call for the 80 ids, then one for the retries not among them (an entity
    // already loaded is never asked again, whether named by id or by ARN).
    const related = new Set(
      asked
        .flatMap((build) => [build.autoRetryConfig!.nextAutoRetry, build.autoRetryConfig!.previousAutoRetry])
        .filter(Boolean)
        .map((arn) => parseBuildArn(arn!)!.id),
    );
    const unseen = [...related].filter((id) => !ids.includes(id));
    expect(related.size).toBeGreaterThan(unseen.length);
    expect(unseen.length).toBeGreaterThan(0);
    const calls = stack.emulator.calls.of('codebuild');
    expect(calls.map((call) => call.keys.length)).toEqual([80, unseen.length]);
    expect(new Set(calls[1]!.keys)).toEqual(new Set(unseen));
  });
});

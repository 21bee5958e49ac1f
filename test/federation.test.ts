import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useStack } from '../testkit/use-stack.js';

const stack = useStack();

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Build { id projectName buildStatus } } }`;

describe('_entities (the router entry point)', () => {
  it('resolves hundreds of Build representations with the minimum BatchGetBuilds calls, in order', async () => {
    const builds = stack.emulator.data.builds.slice(0, 300);
    const representations = builds.map((build) => ({ __typename: 'Build', id: build.id }));
    const response = await stack.query<{ _entities: Array<{ id: string; projectName: string }> }>(ENTITIES, { representations });
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((entity) => entity.id)).toEqual(builds.map((build) => build.id));
    expect(response.data!._entities.map((entity) => entity.projectName)).toEqual(builds.map((build) => build.projectName));
    expect(stack.emulator.calls.count('codebuild')).toBe(3);
  });

  it('answers unknown and blank representations per item; the rest resolve', async () => {
    const [a, b] = stack.emulator.data.builds.slice(0, 2).map((build) => build.id!);
    const representations = [
      { __typename: 'Build', id: a },
      { __typename: 'Build', id: 'nobody:0' },
      { __typename: 'Build', id: '' },
      { __typename: 'Build', id: b },
    ];
    const response = await stack.query<{ _entities: Array<{ id: string } | null> }>(ENTITIES, { representations });
    expect(response.data!._entities.map((entity) => entity?.id ?? null)).toEqual([a, null, null, b]);
    const codes = Object.fromEntries(response.errors!.map((error) => [error.path![1], error.extensions!.code]));
    expect(codes).toEqual({ 1: 'NOT_FOUND', 2: 'BAD_USER_INPUT' });
    expect(stack.emulator.calls.count('codebuild')).toBe(1);
  });
});

describe('composition', () => {
  it("the subgraph's _service SDL composes into a supergraph with a subgraph that references Build", async () => {
    const response = await stack.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = response.data!._service.sdl;
    expect(sdl).toContain('@key(fields: "id")');
    for (const [type, field] of [
      ['CodeBuildEnvironmentVariable', 'value'],
      ['CodeBuildExportedEnvironmentVariable', 'value'],
      ['CodeBuildRegistryCredential', 'credential'],
      ['CodeBuildSourceAuth', 'resource'],
    ]) {
      const body = new RegExp(`type ${type}[^{]*\\{([^}]*)\\}`).exec(sdl)?.[1] ?? '';
      expect(body, `${type}.${field}`).toMatch(
        new RegExp(`${field}: String @requiresScopes\\(scopes: \\[\\["codebuild:read-sensitive"\\]\\]\\)`),
      );
    }
    const result = composeServices([
      { name: 'appsec', typeDefs: parse(sdl), url: `${stack.subgraph.url}/graphql` },
      {
        name: 'deployments',
        url: 'http://127.0.0.1:1/graphql',
        typeDefs: parse(`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
          type Deployment @key(fields: "id") { id: ID! environment: String build: Build }
          type Build @key(fields: "id", resolvable: false) { id: ID! }
          type Query { deployments: [Deployment!]! }
        `),
      },
    ]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.supergraphSdl).toContain('type Build');
    // The router enforces access to secrets-bearing fields from the composed authorization directives.
    expect(result.supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    expect(result.supergraphSdl).toContain('join__type(graph: APPSEC, key: "id")');
  });
});

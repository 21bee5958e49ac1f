import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTypeDefs, withoutAuthorizationDirectives } from '../../src/schema.js';
import { findSensitiveFields, guardSensitiveFields } from '../../src/sensitive-fields.js';
import { startStack, type Stack } from '../../testkit/stack.js';

/**
 * Issue #12, reproduction 1: environment variable values, registry credentials and source auth
 * resources (@requiresScopes) were served to any direct caller, cached `max-age=86400, public`.
 */

const SECRET = 'router-secret-for-the-sensitive-test';
// Every stack here states all three (each stack's environment is its own).
const DEFAULTS = { SENSITIVE_FIELDS: '', ROUTER_SECRET: '', AUTHORIZATION_DIRECTIVES: '' };

const SENSITIVE = `query($id: ID!) {
  build(id: $id) {
    id
    projectName
    source { type auth { type resource } }
    environment { image environmentVariables { name type value } registryCredential { credentialProvider credential } }
    exportedEnvironmentVariables { name value }
  }
}`;
const PLAIN = `query($id: ID!) { build(id: $id) { id projectName buildStatus environment { image environmentVariables { name type } } } }`;

interface Answer {
  status: number;
  cacheControl: string | null;
  text: string;
  body: {
    data?: { build: Record<string, unknown> | null } | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }>;
  };
}

async function post(
  stack: Stack,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${stack.subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, cacheControl: response.headers.get('cache-control'), text, body: JSON.parse(text) as Answer['body'] };
}

/** A completed build: its answer would otherwise be cached for CACHE_MAX_AGE_SETTLED, publicly. */
const completedBuild = (stack: Stack) =>
  stack.emulator.data.builds.find((build) => build.buildComplete && (build.environment?.environmentVariables?.length ?? 0) > 0)!;

/** The secrets of a build as the emulator holds them: none may appear in a refused answer. */
function secretsOf(build: ReturnType<typeof completedBuild>): string[] {
  return [
    build.source!.auth!.resource!,
    build.environment!.registryCredential!.credential!,
    ...build.environment!.environmentVariables!.map((variable) => variable.value!),
    ...build.exportedEnvironmentVariables!.map((variable) => variable.value!),
  ];
}

function expectGuarded(answer: Answer, build: ReturnType<typeof completedBuild>, root: Array<string | number> = ['build']): void {
  expect(answer.status).toBe(200);
  const got = root.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], answer.body.data) as Record<
    string,
    never
  >;
  // The rest of the answer is intact.
  expect(got.id).toBe(build.id);
  expect(got.projectName).toBe(build.projectName);
  expect(got.source).toEqual({ type: build.source!.type, auth: { type: build.source!.auth!.type, resource: null } });
  expect(got.environment).toEqual({
    image: build.environment!.image,
    environmentVariables: build.environment!.environmentVariables!.map(({ name, type }) => ({ name, type, value: null })),
    registryCredential: { credentialProvider: build.environment!.registryCredential!.credentialProvider, credential: null },
  });
  expect(got.exportedEnvironmentVariables).toEqual(build.exportedEnvironmentVariables!.map(({ name }) => ({ name, value: null })));
  // One FORBIDDEN at the exact path of every sensitive value, and nothing else.
  const paths = [
    [...root, 'source', 'auth', 'resource'],
    ...build.environment!.environmentVariables!.map((_, i) => [...root, 'environment', 'environmentVariables', i, 'value']),
    [...root, 'environment', 'registryCredential', 'credential'],
    ...build.exportedEnvironmentVariables!.map((_, i) => [...root, 'exportedEnvironmentVariables', i, 'value']),
  ];
  expect(answer.body.errors?.map((error) => error.path)).toEqual(expect.arrayContaining(paths));
  expect(answer.body.errors).toHaveLength(paths.length);
  for (const error of answer.body.errors!) {
    expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/^[A-Za-z]+\.[a-z]+ is sensitive \(@requiresScopes codebuild:read-sensitive\)/);
    expect(error.message).toMatch(/ROUTER_SECRET/);
    expect(error.message).toMatch(/SENSITIVE_FIELDS=allow/);
  }
  for (const secret of secretsOf(build)) expect(answer.text).not.toContain(secret);
  expect(answer.cacheControl ?? '').not.toMatch(/public|max-age=[1-9]/);
}

function expectServed(answer: Answer, build: ReturnType<typeof completedBuild>): void {
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  const got = answer.body.data!.build!;
  expect((got.source as { auth: unknown }).auth).toEqual({ type: build.source!.auth!.type, resource: build.source!.auth!.resource });
  expect((got.environment as { environmentVariables: unknown }).environmentVariables).toEqual(
    build.environment!.environmentVariables!.map(({ name, type, value }) => ({ name, type, value })),
  );
  expect((got.environment as { registryCredential: unknown }).registryCredential).toEqual(build.environment!.registryCredential);
  expect(got.exportedEnvironmentVariables).toEqual(build.exportedEnvironmentVariables);
  expect(answer.cacheControl).toBe('private, no-store');
}

describe('default (SENSITIVE_FIELDS=deny, no ROUTER_SECRET): a direct caller', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: DEFAULTS });
  });
  afterAll(() => stack?.stop());

  it('gets null and FORBIDDEN at each sensitive field, the rest intact, and no public caching', async () => {
    const build = completedBuild(stack);
    expectGuarded(await post(stack, SENSITIVE, { id: build.id }), build);
  });

  it('cannot reach them through _entities, aliases or fragments either', async () => {
    const build = completedBuild(stack);
    const entities = await post(
      stack,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Build { ...B } } }
       fragment B on Build { id projectName source { type auth { type resource } } environment { image environmentVariables { name type value } registryCredential { credentialProvider credential } } exportedEnvironmentVariables { name value } }`,
      { r: [{ __typename: 'Build', id: build.id }] },
    );
    expectGuarded(entities, build, ['_entities', 0]);
    const aliased = await post(stack, `query($id: ID!) { build(id: $id) { environment { registryCredential { secret: credential } } } }`, {
      id: build.id,
    });
    expect(aliased.body.data!.build).toEqual({ environment: { registryCredential: { secret: null } } });
    expect(aliased.body.errors).toMatchObject([
      { path: ['build', 'environment', 'registryCredential', 'secret'], extensions: { code: 'FORBIDDEN' } },
    ]);
  });

  it('still gets the long public cache hint for a query without sensitive fields', async () => {
    const build = completedBuild(stack);
    const answer = await post(stack, PLAIN, { id: build.id });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.cacheControl).toBe('max-age=86400, public');
  });
});

describe('ROUTER_SECRET set: the router vouches', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ...DEFAULTS, ROUTER_SECRET: SECRET } });
  });
  afterAll(() => stack?.stop());

  it('serves the values to a request carrying the secret, as private, no-store', async () => {
    const build = completedBuild(stack);
    expectServed(await post(stack, SENSITIVE, { id: build.id }, { 'router-authorization': SECRET }), build);
  });

  it('refuses a request without it (401) and one with a wrong secret, serving no value', async () => {
    const build = completedBuild(stack);
    for (const headers of [{}, { 'router-authorization': `${SECRET}!` }] as Array<Record<string, string>>) {
      const answer = await post(stack, SENSITIVE, { id: build.id }, headers);
      expect(answer.status).toBe(401);
      for (const secret of secretsOf(build)) expect(answer.text).not.toContain(secret);
    }
  });
});

describe('SENSITIVE_FIELDS=allow: the operator opted in', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ...DEFAULTS, SENSITIVE_FIELDS: 'allow' } });
  });
  afterAll(() => stack?.stop());

  it('serves the values, as private, no-store', async () => {
    const build = completedBuild(stack);
    expectServed(await post(stack, SENSITIVE, { id: build.id }), build);
  });

  it('marks a list answer private, no-store when any item carries a value, whatever the entity hints', async () => {
    const ids = stack.emulator.data.builds
      .filter((build) => build.buildComplete)
      .slice(0, 5)
      .map((build) => build.id);
    const answer = await post(stack, `query($ids: [ID!]!) { builds(ids: $ids) { id environment { registryCredential { credential } } } }`, {
      ids,
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.cacheControl).toBe('private, no-store');
    expect((await post(stack, `query($ids: [ID!]!) { builds(ids: $ids) { id } }`, { ids })).cacheControl).toBe('max-age=86400, public');
  });
});

describe('AUTHORIZATION_DIRECTIVES=strip: the directives leave the SDL, the guard stays', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ...DEFAULTS, AUTHORIZATION_DIRECTIVES: 'strip' } });
  });
  afterAll(() => stack?.stop());

  it('serves an SDL without @requiresScopes and still answers FORBIDDEN at each sensitive field', async () => {
    const sdl = (await post(stack, '{ _service { sdl } }', {})).body.data as unknown as { _service: { sdl: string } };
    const environmentVariable = /type CodeBuildEnvironmentVariable[^{]*\{([^}]*)\}/.exec(sdl._service.sdl)?.[1] ?? '';
    expect(environmentVariable).toMatch(/value: String\s/);
    expect(sdl._service.sdl).not.toMatch(/: \S+ @requiresScopes/);
    const build = completedBuild(stack);
    expectGuarded(await post(stack, SENSITIVE, { id: build.id }), build);
  });
});

describe('which fields are guarded', () => {
  it('are read from the SDL directives: exactly the four @requiresScopes fields (and none once stripped)', () => {
    expect([...findSensitiveFields(loadTypeDefs()).keys()].sort()).toEqual([
      'CodeBuildEnvironmentVariable.value',
      'CodeBuildExportedEnvironmentVariable.value',
      'CodeBuildRegistryCredential.credential',
      'CodeBuildSourceAuth.resource',
    ]);
    expect(findSensitiveFields(withoutAuthorizationDirectives(loadTypeDefs())).size).toBe(0);
  });

  const sdl = (body: string) =>
    parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes"])
      type Query { thing: Thing }
      ${body}`);

  it('includes every field of a guarded type and every field returning a guarded scalar', () => {
    const document = sdl(`type Thing { a: String b: Secret c: Vault }
      scalar Secret @requiresScopes(scopes: [["s"]])
      type Vault @requiresScopes(scopes: [["v"]]) { key: String }`);
    expect([...findSensitiveFields(document).keys()].sort()).toEqual(['Thing.b', 'Thing.c', 'Vault.key']);
  });

  it('refuses, at start-up, a guarded field that is non-null (its null would wipe the parent)', () => {
    const document = sdl(`type Thing { secret: String! @requiresScopes(scopes: [["s"]]) }`);
    const schema = buildSubgraphSchema([{ typeDefs: document }]);
    expect(() => guardSensitiveFields(schema, document, 'deny')).toThrow(/Thing\.secret .*non-null.*make it nullable/);
  });
});

import { composeServices as apolloCompose } from '@apollo/composition';
import { composeServices as guildCompose } from '@theguild/federation-composition';
import { Kind, parse, visit, type ASTNode, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useStack } from '../testkit/use-stack.js';
import { PRE_PREFIX_TYPE_NAMES } from './fixtures/pre-prefix-type-names.js';

/**
 * Issue #15: composed beside a subgraph with common types of its own (Resource, Severity, ...),
 * this subgraph's bare upstream shape names collided (INVALID_FIELD_SHARING, ENUM_VALUE_MISMATCH).
 * Its value types and enums now take their upstream's prefix; this composes what the router gets
 * (`_service { sdl }` from the running subgraph) with a third subgraph that owns every old name.
 */
const stack = useStack({}, { reset: false });

const PREFIXES = ['CodeBuild', 'CodeGuruSecurity', 'Inspector', 'Advalidation'] as const;
/** The entities (shared by key, so one name across subgraphs is the point) and the input that names a finding. */
const UNPREFIXED = new Set(['Build', 'Finding', 'FindingDetail', 'Scan', 'FindingIdentifier']);
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
/** Federation's and @link's own definitions in a subgraph SDL (`_Service`, `link__Purpose`, `federation__Scope`, ...). */
const isFederationName = (name: string) => name.startsWith('_') || name.startsWith('link__') || name.startsWith('federation__');

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const oldNames = Object.keys(PRE_PREFIX_TYPE_NAMES);
const oldEnums = oldNames.filter((name) => PRE_PREFIX_TYPE_NAMES[name] === 'enum');

/**
 * Another team's subgraph with its own, different type under every old bare name: objects with
 * other fields, enums with other values, used as output and as arguments (so Apollo compares
 * enum values as for inputs), and Apollo Server's `@cacheControl` declaration with a scope enum of its own.
 */
const THIRD_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  # Apollo Server's scope enum with a value more: not the one this subgraph used to declare.
  enum CacheControlScope { PUBLIC PRIVATE SHARED }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  type Query {
    inventory(${oldEnums.map((name) => `${lowerFirst(name)}: ${name}`).join(', ')}): Inventory @cacheControl(maxAge: 30, scope: PUBLIC)
  }

  type Inventory {
    ${oldNames.map((name) => `${lowerFirst(name)}: ${name}`).join('\n    ')}
    build: Build
  }

  type Build @key(fields: "id", resolvable: false) { id: ID! }

  ${oldNames
    .filter((name) => name !== 'CacheControlScope')
    .map((name) =>
      PRE_PREFIX_TYPE_NAMES[name] === 'enum' ? `enum ${name} { UNKNOWN NEGLIGIBLE }` : `type ${name} { id: ID! arn: String }`,
    )
    .join('\n  ')}
`;

async function servedSdl(): Promise<string> {
  const response = await stack.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
  expect(response.errors).toBeUndefined();
  return response.data!._service.sdl;
}

const subgraphs = (ours: DocumentNode) => [
  { name: 'appsec', typeDefs: ours, url: 'http://appsec.invalid/graphql' },
  { name: 'inventory', typeDefs: parse(THIRD_SDL), url: 'http://inventory.invalid/graphql' },
];

/**
 * Types born prefixed whose bare name another upstream's type had (Inspector's ListFindings types, #17, beside
 * CodeGuru Security's Severity, Resource, …): stripping them too would define those names twice.
 */
const BORN_PREFIXED = new Set(['InspectorSeverity', 'InspectorResource', 'InspectorRemediation', 'InspectorRecommendation']);

/** The served SDL as it was before the prefixes: every prefixed name that once was bare back to its bare one. */
function withoutPrefixes(document: DocumentNode): DocumentNode {
  const bare = (node: ASTNode & { name: { value: string } }) => {
    const prefix = PREFIXES.find((candidate) => node.name.value.startsWith(candidate) && node.name.value !== candidate);
    const name = prefix ? node.name.value.slice(prefix.length) : undefined;
    // Names that never were bare (InspectorFinding: Finding is CodeGuru's entity) keep their prefix.
    if (!name || !(name in PRE_PREFIX_TYPE_NAMES) || BORN_PREFIXED.has(node.name.value)) return undefined;
    return { ...node, name: { ...node.name, value: name } };
  };
  return visit(document, {
    NamedType: bare,
    ObjectTypeDefinition: bare,
    EnumTypeDefinition: bare,
    InputObjectTypeDefinition: bare,
    UnionTypeDefinition: bare,
    InterfaceTypeDefinition: bare,
  });
}

describe('composition beside a subgraph that owns the generic names', () => {
  it('the third subgraph defines every old bare name (the fixture list), so none is forgotten', () => {
    const defined = parse(THIRD_SDL)
      .definitions.flatMap((definition) => ('name' in definition && definition.name ? [definition.name.value] : []))
      .filter((name) => name in PRE_PREFIX_TYPE_NAMES);
    expect(new Set(defined)).toEqual(new Set(oldNames));
    expect(oldNames).toEqual(expect.arrayContaining(['Resource', 'Severity', 'Status', 'Evidence', 'CheckResult', 'BuildPhase']));
  });

  it('with bare names (as before the prefixes) it fails with both composers: the third subgraph is a real adversary', async () => {
    const bare = withoutPrefixes(parse(await servedSdl()));
    const apollo = apolloCompose(subgraphs(bare));
    expect(apollo.errors?.map((error) => error.extensions['code'])).toEqual(
      expect.arrayContaining(['INVALID_FIELD_SHARING', 'ENUM_VALUE_MISMATCH']),
    );
    expect(guildCompose(subgraphs(bare)).errors?.length ?? 0).toBeGreaterThan(0);
  });

  it('composes with @apollo/composition, without errors and without a hint about a type of ours', async () => {
    const sdl = await servedSdl();
    const result = apolloCompose(subgraphs(parse(sdl)));
    expect(result.errors?.map((error) => error.message)).toBeUndefined();
    // A hint names the subgraph or the types it concerns: none may concern this subgraph or its
    // types (an unused enum, an implicit federation upgrade, ...).
    const hints = (result.hints ?? []).map((hint) => ({ code: hint.definition.code, message: hint.message }));
    const ours = parse(sdl).definitions.flatMap((definition) => ('name' in definition && definition.name ? [definition.name.value] : []));
    const aboutUs = hints.filter(({ message }) => /\bappsec\b/.test(message) || ours.some((name) => message.includes(`"${name}"`)));
    expect(aboutUs).toEqual([]);
    expect(hints.filter(({ code }) => code === 'UNUSED_ENUM_TYPE')).toEqual([]);
    // Both subgraphs' types are in the supergraph, side by side.
    expect(result.supergraphSdl).toMatch(/type CodeGuruSecurityResource\b/);
    expect(result.supergraphSdl).toMatch(/type Resource\b/);
  });

  it("composes with The Guild's @theguild/federation-composition, without errors", async () => {
    const result = guildCompose(subgraphs(parse(await servedSdl())));
    expect(result.errors?.map((error) => error.message)).toBeUndefined();
    expect(result.supergraphSdl).toMatch(/enum CodeGuruSecuritySeverity\b/);
    expect(result.supergraphSdl).toMatch(/enum Severity\b/);
  });
});

describe('naming rule over the served schema', () => {
  it('every named type but the entities, FindingIdentifier, scalars, roots and federation types starts with an upstream prefix', async () => {
    const unprefixed = parse(await servedSdl())
      .definitions.flatMap((definition) => {
        switch (definition.kind) {
          case Kind.OBJECT_TYPE_DEFINITION:
          case Kind.OBJECT_TYPE_EXTENSION:
          case Kind.INTERFACE_TYPE_DEFINITION:
          case Kind.UNION_TYPE_DEFINITION:
          case Kind.ENUM_TYPE_DEFINITION:
          case Kind.INPUT_OBJECT_TYPE_DEFINITION:
            return [definition.name.value];
          default:
            return []; // scalars (DateTime, SafeInt, JSON, federation's), directives, schema definitions
        }
      })
      .filter((name) => !ROOT_TYPES.has(name) && !UNPREFIXED.has(name) && !isFederationName(name))
      .filter((name) => !PREFIXES.some((prefix) => name.startsWith(prefix) && name.length > prefix.length));
    expect(unprefixed).toEqual([]);
  });

  it('the rule reads what is served: the served SDL has prefixed types of each upstream to check', async () => {
    const names = parse(await servedSdl()).definitions.flatMap((definition) =>
      'name' in definition && definition.name ? [definition.name.value] : [],
    );
    for (const prefix of PREFIXES) expect(names.some((name) => name.startsWith(prefix))).toBe(true);
    expect(names).not.toContain('CacheControlScope');
  });
});

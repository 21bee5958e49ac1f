import * as codebuildSdk from '@aws-sdk/client-codebuild';
import * as inspector2Sdk from '@aws-sdk/client-inspector2';
import type { StaticStructureSchema } from '@smithy/types';
import { buildASTSchema, isEnumType, isObjectType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { seedData } from '../emulator/index.js';
import { toAwsJson } from '../emulator/core/aws-wire.js';
import { loadTypeDefs } from '../src/schema.js';
import type { Severity, Status } from '../src/upstreams/codeguru-security/sdk/model.js';
import { Finding$ } from '../src/upstreams/codeguru-security/sdk/schemas.js';
import { sdkClosure, sdkEnumValues } from './support/sdk-schemas.js';
import { SmithyModel, type AwsService } from './support/smithy.js';

/**
 * The schema and the emulator are held to what is installed and to the official models:
 * members come from the installed clients' schemas (for the frozen CodeGuru Security API, from
 * the product's own), constraints from the committed model snapshots, and the two must agree.
 * An SDK upgrade that adds a member fails here until the snapshot is regenerated
 * (scripts/snapshot-aws-models.ts) and the schema and the emulator's data carry it.
 */
interface Covered {
  service: AwsService;
  /** The installed schema of the root structure (`Build$`, …). */
  installed: StaticStructureSchema;
  /** An enum's values as installed, by shape name. */
  installedEnum: (name: string) => string[] | undefined;
  /** The emulator's seeded records of the root structure. */
  records: () => readonly unknown[];
  /** The snapshot file, when not the service's name (a second root of the same model). */
  snapshot?: string;
  /** The GraphQL type of the root, when it is not an entity keeping the shape's name. */
  rootType?: string;
}

/**
 * The GraphQL type serving a shape, the one place that maps shape names to GraphQL names: the
 * shape's name with its upstream's prefix (so types cannot collide with another subgraph's in a
 * supergraph), except the root structures, which are the entities and keep their names.
 */
const GRAPHQL_PREFIX: Record<AwsService, string> = {
  codebuild: 'CodeBuild',
  'codeguru-security': 'CodeGuruSecurity',
  inspector2: 'Inspector',
};
const ENTITIES: ReadonlySet<string> = new Set(['Build', 'Finding', 'FindingDetail']);
const graphqlTypeName = (service: AwsService, shape: string): string =>
  ENTITIES.has(shape) ? shape : `${GRAPHQL_PREFIX[service]}${shape}`;

/** An enum value's GraphQL name: upper case, and `_` for what a name cannot hold (Inspector's `Microsoft.Web/sites`). */
const graphqlEnumName = (value: string): string => value.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

/** The union's members, exactly: tsc refuses a missing or an extra key. */
const unionValues = <T extends string>(all: Record<T, true>): string[] => Object.keys(all);
/** CodeGuru Security's enums as the product's model declares them (it has no published SDK). */
const CODEGURU_ENUMS: Record<string, string[]> = {
  Severity: unionValues<Severity>({ Critical: true, High: true, Medium: true, Low: true, Info: true }),
  Status: unionValues<Status>({ Closed: true, Open: true, All: true }),
};

const data = seedData();
const COVERED: Covered[] = [
  {
    service: 'codebuild',
    installed: codebuildSdk.Build$,
    installedEnum: (name) => sdkEnumValues(codebuildSdk, name),
    records: () => data.builds,
  },
  {
    service: 'codeguru-security',
    installed: Finding$,
    installedEnum: (name) => CODEGURU_ENUMS[name],
    records: () => data.findings.map((seeded) => seeded.finding),
  },
  {
    service: 'inspector2',
    installed: inspector2Sdk.FindingDetail$,
    installedEnum: (name) => sdkEnumValues(inspector2Sdk, name),
    records: () => data.inspector.details,
  },
  {
    // ListFindings' Finding: the name Finding is CodeGuru Security's entity, so it is served as InspectorFinding.
    service: 'inspector2',
    snapshot: 'inspector2-finding',
    rootType: 'InspectorFinding',
    installed: inspector2Sdk.Finding$,
    installedEnum: (name) => sdkEnumValues(inspector2Sdk, name),
    records: () => data.inspector.findings,
  },
];

function schema(): GraphQLSchema {
  // Only names matter here; the federation directives need no definitions to be read.
  const typeDefs = loadTypeDefs();
  return buildASTSchema(
    { ...typeDefs, definitions: typeDefs.definitions.filter((d) => d.kind !== 'SchemaExtension') },
    { assumeValidSDL: true },
  );
}

const sorted = (values: readonly string[] | undefined) => (values ? [...values].sort() : values);

describe.each(COVERED)('$service $rootType', ({ service, installed, installedEnum, records, snapshot, rootType }) => {
  const model = new SmithyModel(service, snapshot);
  const typeName = (shape: string) => (rootType !== undefined && shape === model.root ? rootType : graphqlTypeName(service, shape));
  const { enums } = model.closure();
  const structures = sdkClosure(installed);
  const graphql = schema();

  it("the installed schema has exactly the snapshot's structures and members, of the same kinds", () => {
    expect(installed[2]).toBe(model.root);
    expect(Object.fromEntries(structures)).toEqual(Object.fromEntries(model.structureKinds()));
    expect(structures.size).toBeGreaterThan(0);
  });

  it("the installed enums have exactly the snapshot's values", () => {
    const differing = [...enums]
      .map(([name, values]) => ({ name, snapshot: sorted(values), installed: sorted(installedEnum(name)) }))
      .filter((entry) => JSON.stringify(entry.snapshot) !== JSON.stringify(entry.installed));
    expect(differing).toEqual([]);
  });

  it('has a GraphQL object type with every member of every installed structure reachable from the root', () => {
    const missing: string[] = [];
    for (const [name, members] of structures) {
      const type = graphql.getType(typeName(name));
      if (!isObjectType(type)) {
        missing.push(`type ${name}`);
        continue;
      }
      const fields = type.getFields();
      for (const member of Object.keys(members)) if (!fields[member]) missing.push(`${name}.${member}`);
    }
    expect(missing).toEqual([]);
  });

  it('has every installed value of every reachable enum', () => {
    const missing: string[] = [];
    for (const name of enums.keys()) {
      const type = graphql.getType(typeName(name));
      if (!isEnumType(type)) {
        missing.push(`enum ${name}`);
        continue;
      }
      const names = new Set(type.getValues().map((value) => value.name));
      for (const value of installedEnum(name) ?? []) if (!names.has(graphqlEnumName(value))) missing.push(`${name}.${value}`);
    }
    expect(missing).toEqual([]);
  });

  it("emulator records are valid against the model's shapes, constraints and enums", () => {
    const problems = records().flatMap((record, index) => model.validate(model.root, JSON.parse(toAwsJson(record)), `[${index}]`));
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('emulator records fill every installed member of the closure at least once', () => {
    const present = model.membersPresent(records().map((record) => JSON.parse(toAwsJson(record))));
    const absent: string[] = [];
    for (const [name, members] of structures) {
      for (const member of Object.keys(members)) if (!present.has(`${name}.${member}`)) absent.push(`${name}.${member}`);
    }
    // Deprecated, unused members (e.g. CodeGuru's Vulnerability.itemCount) are still filled:
    // the schema serves them, so the emulator exercises them.
    expect(absent).toEqual([]);
  });
});

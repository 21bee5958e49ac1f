import { buildASTSchema, isEnumType, isObjectType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { seedData } from '../emulator/index.js';
import { toAwsJson } from '../emulator/core/aws-wire.js';
import { loadTypeDefs } from '../src/schema.js';
import { botocoreMembers, SmithyModel, type AwsService } from './support/smithy.js';

/**
 * The schema and the emulator are both held to the official AWS models: a member AWS adds
 * to a reachable shape fails here until the schema (and the emulator's data) carry it.
 */
interface Covered {
  service: AwsService;
  /** Root structure of the upstream response, e.g. `Build`. */
  root: string;
  /** The emulator's seeded records of that structure. */
  records: () => readonly unknown[];
}

const data = seedData();
const COVERED: Covered[] = [
  { service: 'codebuild', root: 'Build', records: () => data.builds },
  { service: 'codeguru-security', root: 'Finding', records: () => data.findings.map((seeded) => seeded.finding) },
  { service: 'inspector2', root: 'FindingDetail', records: () => data.inspector.details },
];

function schema(): GraphQLSchema {
  // Only names matter here; the federation directives need no definitions to be read.
  const typeDefs = loadTypeDefs();
  return buildASTSchema(
    { ...typeDefs, definitions: typeDefs.definitions.filter((d) => d.kind !== 'SchemaExtension') },
    { assumeValidSDL: true },
  );
}

describe.each(COVERED)('$service $root', ({ service, root, records }) => {
  const model = new SmithyModel(service);
  const { structures, enums } = model.closure(root);
  const graphql = schema();

  it('has a GraphQL object type with every member of every structure reachable from the root', () => {
    const missing: string[] = [];
    for (const [name, members] of structures) {
      const type = graphql.getType(name);
      if (!isObjectType(type)) {
        missing.push(`type ${name}`);
        continue;
      }
      const fields = type.getFields();
      const expected = new Set([...Object.keys(members), ...botocoreMembers(service, name)]);
      for (const member of expected) if (!fields[member]) missing.push(`${name}.${member}`);
    }
    expect(missing).toEqual([]);
    expect(structures.size).toBeGreaterThan(0);
  });

  it('has every value of every reachable enum', () => {
    const missing: string[] = [];
    for (const [name, values] of enums) {
      const type = graphql.getType(name);
      if (!isEnumType(type)) {
        missing.push(`enum ${name}`);
        continue;
      }
      const names = new Set(type.getValues().map((value) => value.name));
      for (const value of values) if (!names.has(value.toUpperCase())) missing.push(`${name}.${value}`);
    }
    expect(missing).toEqual([]);
  });

  it("emulator records are valid against the model's shapes, constraints and enums", () => {
    const problems = records().flatMap((record, index) => model.validate(root, JSON.parse(toAwsJson(record)), `[${index}]`));
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('emulator records fill every member of the closure at least once', () => {
    const present = model.membersPresent(root, records().map((record) => JSON.parse(toAwsJson(record))));
    const absent: string[] = [];
    for (const [name, members] of structures) {
      for (const member of Object.keys(members)) if (!present.has(`${name}.${member}`)) absent.push(`${name}.${member}`);
    }
    // Deprecated, unused members (e.g. CodeGuru's Vulnerability.itemCount) are still filled:
    // the schema serves them, so the emulator exercises them.
    expect(absent).toEqual([]);
  });
});

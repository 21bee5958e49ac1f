import { getNamedType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { buildSchema } from '../../src/schema.js';
import { startStack, type Stack } from '../../testkit/stack.js';

/** The paging contract at the GraphQL boundary, the same on every upstream's entry points. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const ENTRY_POINTS = [
  'codeBuildProjects(first: $first) { nodes { name } }',
  'recentBuilds(first: $first) { nodes { id } }',
  'codeGuruSecurityScans(first: $first) { nodes { scanName } }',
  'inspectorFindings(first: $first) { nodes { findingArn } }',
  'advalidationCampaigns(first: $first) { nodes { id } }',
];

describe('every entry point', () => {
  it.each([0, -1, 101, 2_147_483_647])(
    'refuses first: %i at its own field, with no upstream call, the rest of the request served',
    async (first) => {
      stack.emulator.calls.clear();
      const build = stack.emulator.data.builds[0]!.id!;
      const fields = ENTRY_POINTS.map((field, index) => `e${index}: ${field}`).join('\n');
      const response = await stack.query<Record<string, unknown>>(`query($first: Int, $id: ID!) { ${fields} build(id: $id) { id } }`, {
        first,
        id: build,
      });
      expect(response.data?.build).toEqual({ id: build });
      for (const index of ENTRY_POINTS.keys()) expect(response.data?.[`e${index}`]).toBeNull();
      const errors = response.errors ?? [];
      expect(errors.map((error) => [error.path, error.extensions?.code]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(
        ENTRY_POINTS.map((_, index) => [[`e${index}`], 'BAD_USER_INPUT']),
      );
      expect(errors[0]!.message).toMatch(/`first` must be between 1 and 100/);
      // Only the build lookup reached an upstream.
      expect(stack.emulator.calls.entries.map((call) => call.operation)).toEqual(['BatchGetBuilds']);
    },
  );
});

describe('every connection in the schema', () => {
  it('is nullable, takes first (default 20) and after, and carries @listSize sized by first', () => {
    const schema = buildSchema(createLogger('silent'));
    const connections: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (!getNamedType(field.type).name.endsWith('Connection')) continue;
        connections.push(`${type.name}.${field.name}`);
        const where = `${type.name}.${field.name}`;
        expect(String(field.type).endsWith('!'), where).toBe(false);
        expect(field.args.find((arg) => arg.name === 'first')?.defaultValue, where).toBe(20);
        expect(
          field.args.some((arg) => arg.name === 'after'),
          where,
        ).toBe(true);
        const listSize = field.astNode?.directives?.find((directive) => directive.name.value === 'listSize');
        expect(
          listSize?.arguments?.map((argument) => argument.name.value),
          where,
        ).toEqual(expect.arrayContaining(['slicingArguments', 'sizedFields']));
      }
    }
    expect(connections.length).toBeGreaterThanOrEqual(11);
  });
});

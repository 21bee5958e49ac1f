import { buildSchema, execute, Kind, parse, validate, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldsOf, selectsField } from '../src/graphql/selections.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Scan implements Node { id: ID! status: String tests: [String!] previous: Scan }
  type Build implements Node { id: ID! tests: [String!] }
  type Query { scan: Scan node: Node }
`);

/** What `selectsField(info, 'tests', 'Scan')` answers in the resolver of each root field, in order. */
function answers(query: string, variables: Record<string, unknown> = {}, { validated = true } = {}): boolean[] {
  const document = parse(query);
  // Documents graphql-js refuses (a fragment cycle) are executed anyway, as a resolver could meet them.
  if (validated) expect(validate(schema, document)).toEqual([]);
  const seen: boolean[] = [];
  const resolve = (value: object) => (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
    seen.push(selectsField(info, 'tests', 'Scan'));
    return value;
  };
  const result = execute({
    schema,
    document,
    variableValues: variables,
    rootValue: { scan: resolve({ id: 's' }), node: resolve({ __typename: 'Scan', id: 'n' }) },
  });
  expect(result).not.toHaveProperty('errors');
  return seen;
}

const answer = (query: string, variables?: Record<string, unknown>, options?: { validated?: boolean }) => {
  const [only, ...rest] = answers(query, variables, options);
  expect(rest).toEqual([]);
  return only;
};

describe('selectsField', () => {
  it('sees the field selected directly, under an alias too, and not a field merely aliased like it', () => {
    expect(answer('{ scan { id tests } }')).toBe(true);
    expect(answer('{ scan { checks: tests } }')).toBe(true);
    expect(answer('{ scan { id status } }')).toBe(false);
    expect(answer('{ scan { tests: status } }')).toBe(false);
  });

  it('looks only at the level under the resolved field, not deeper', () => {
    expect(answer('{ scan { previous { tests } } }')).toBe(false);
  });

  it('sees it through inline fragments without a type condition or on the type', () => {
    expect(answer('{ scan { ... { tests } } }')).toBe(true);
    expect(answer('{ scan { ... on Scan { ... { tests } } } }')).toBe(true);
    expect(answer('{ node { ... on Scan { tests } } }')).toBe(true);
  });

  it('sees it through named fragments, nested ones included', () => {
    expect(answer('{ scan { ...Outer } } fragment Outer on Scan { id ...Inner } fragment Inner on Scan { tests }')).toBe(true);
    expect(answer('{ node { ...F } } fragment F on Scan { tests }')).toBe(true);
  });

  it('ignores fragments on another type', () => {
    expect(answer('{ node { ... on Build { tests } } }')).toBe(false);
    expect(answer('{ node { ...F } } fragment F on Build { tests }')).toBe(false);
    // A named fragment on an interface is not the type asked for (inline ones without a condition are).
    expect(answer('{ node { ...F } } fragment F on Node { ... on Scan { tests } }')).toBe(false);
  });

  it('ends on a fragment cycle, seeing what the cycle selects', () => {
    const cycle = 'fragment A on Scan { id ...B } fragment B on Scan { status ...A }';
    expect(answer(`{ scan { ...A } } ${cycle}`, {}, { validated: false })).toBe(false);
    expect(
      answer(
        `{ scan { ...A } } ${cycle} fragment C on Scan { tests }`.replace('status ...A', 'status ...A ...C'),
        {},
        { validated: false },
      ),
    ).toBe(true);
  });

  it('honours @skip and @include, with literals and with variables, on fields, inline fragments and spreads', () => {
    expect(answer('{ scan { tests @skip(if: true) } }')).toBe(false);
    expect(answer('{ scan { tests @include(if: false) } }')).toBe(false);
    expect(answer('{ scan { tests @skip(if: false) @include(if: true) } }')).toBe(true);
    const onField = 'query($skip: Boolean!, $include: Boolean!) { scan { id tests @skip(if: $skip) @include(if: $include) } }';
    expect(answer(onField, { skip: true, include: true })).toBe(false);
    expect(answer(onField, { skip: false, include: false })).toBe(false);
    expect(answer(onField, { skip: false, include: true })).toBe(true);
    const onInline = 'query($skip: Boolean!) { scan { ... @skip(if: $skip) { tests } } }';
    expect(answer(onInline, { skip: true })).toBe(false);
    expect(answer(onInline, { skip: false })).toBe(true);
    const onSpread = 'query($include: Boolean = false) { scan { ...F @include(if: $include) } } fragment F on Scan { tests }';
    expect(answer(onSpread)).toBe(false);
    expect(answer(onSpread, { include: true })).toBe(true);
  });

  it('sees a fragment again after a skipped spread of it', () => {
    const query = 'query($skip: Boolean!) { scan { ...F @skip(if: $skip) ... on Scan { ...F } } } fragment F on Scan { tests }';
    expect(answer(query, { skip: true })).toBe(true);
  });

  it('looks at every node of a merged field', () => {
    expect(answer('{ scan { id } scan { tests } }')).toBe(true);
    expect(answers('{ scan { id } other: scan { tests } }')).toEqual([false, true]);
  });
});

describe('fieldsOf', () => {
  const operationOf = (query: string) => {
    const document = parse(query);
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    )!;
    const fragments = new Map(
      document.definitions.flatMap((definition) =>
        definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
      ),
    );
    return { selectionSet: operation.selectionSet, fragment: (name: string) => fragments.get(name) };
  };
  const names = (fields: Iterable<{ name: { value: string }; alias?: { value: string } }>) =>
    [...fields].map((field) => field.alias?.value ?? field.name.value);

  it('without variables walks every selection, whatever its directives, and every fragment whatever its type', () => {
    const { selectionSet, fragment } = operationOf(
      'query($skip: Boolean!) { a: scan @skip(if: $skip) { id } ... on Query { b: node { id } } ...F ...F } fragment F on Query { c: scan { id } }',
    );
    expect(names(fieldsOf(selectionSet, { fragment }))).toEqual(['a', 'b', 'c']);
  });

  it('with variables leaves out what @skip and @include leave out', () => {
    const { selectionSet, fragment } = operationOf(
      'query($skip: Boolean!) { a: scan @skip(if: $skip) { id } b: node @include(if: $skip) { id } }',
    );
    expect(names(fieldsOf(selectionSet, { fragment, variables: { skip: true } }))).toEqual(['b']);
    expect(names(fieldsOf(selectionSet, { fragment, variables: { skip: false } }))).toEqual(['a']);
  });

  it('enters only the fragments whose type condition the walk accepts', () => {
    const { selectionSet, fragment } = operationOf(
      '{ ... on Query { a: scan { id } } ... { b: scan { id } } ...F } fragment F on Mutation { c: scan { id } }',
    );
    expect(names(fieldsOf(selectionSet, { fragment, entersType: (type) => type === undefined }))).toEqual(['b']);
  });

  it('ends on a fragment cycle and on a missing fragment', () => {
    const { selectionSet, fragment } = operationOf(
      '{ ...A ...Missing } fragment A on Query { a: scan { id } ...B } fragment B on Query { b: node { id } ...A }',
    );
    expect(names(fieldsOf(selectionSet, { fragment }))).toEqual(['a', 'b']);
  });
});

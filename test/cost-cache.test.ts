import fc from 'fast-check';
import { parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { CostCache, shapeOf } from '../src/graphql/cost-cache.js';
import { queryCost } from '../src/graphql/query-cost.js';
import { createLogger } from '../src/logger.js';
import { buildSchema } from '../src/schema.js';

/** The cost cache may only ever answer what the estimator itself would: proven over generated variables. */
let schema: GraphQLSchema;
beforeAll(() => {
  schema = buildSchema(createLogger('silent'));
});

const DOCUMENTS = [
  'query($id: ID!) { build(id: $id) { id buildStatus phases { phaseType } } }',
  'query($ids: [ID!]!, $full: Boolean!) { builds(ids: $ids) { id buildStatus logs @include(if: $full) { groupName streamName } } }',
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on Build { id phases { phaseType } } ... on Scan { id processingStatus } } }',
  'query($a: [ID!]!, $b: [ID!]!) { a: builds(ids: $a) { id } b: findingDetails(findingArns: $b) { findingArn riskScore } }',
].map((text) => parse(text));

const id = fc.string({ maxLength: 12 });
const variables = fc.record({
  id,
  ids: fc.array(id, { maxLength: 40 }),
  full: fc.boolean(),
  r: fc.array(fc.record({ __typename: fc.constantFrom('Build', 'Scan', 'Finding', 'Nope'), id }), { maxLength: 30 }),
  a: fc.array(id, { maxLength: 20 }),
  b: fc.array(id, { maxLength: 20 }),
});

describe('CostCache', () => {
  it("answers exactly the estimator's cost for every document and variables, hits included", () => {
    const cache = new CostCache();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DOCUMENTS.length - 1 }), variables, (index, vars) => {
        const document = DOCUMENTS[index]!;
        const fresh = queryCost(schema, document, vars);
        expect(cache.cost(document, undefined, vars, () => queryCost(schema, document, vars))).toBe(fresh);
      }),
      { numRuns: 400 },
    );
  });

  it('computes once for requests that differ only in ids, again when a list length, a boolean or a __typename changes', () => {
    const cache = new CostCache();
    const document = DOCUMENTS[2]!;
    let computed = 0;
    const cost = (vars: Record<string, unknown>) =>
      cache.cost(document, undefined, vars, () => {
        computed += 1;
        return queryCost(schema, document, vars);
      });
    const a = cost({
      r: [
        { __typename: 'Build', id: 'p:1' },
        { __typename: 'Scan', id: '1' },
      ],
    });
    expect(
      cost({
        r: [
          { __typename: 'Scan', id: '2' },
          { __typename: 'Build', id: 'q:2' },
        ],
      }),
    ).toBe(a);
    expect(computed).toBe(1);
    cost({
      r: [
        { __typename: 'Build', id: 'p:1' },
        { __typename: 'Build', id: '1' },
      ],
    });
    cost({ r: [{ __typename: 'Build', id: 'p:1' }] });
    expect(computed).toBe(3);
  });

  it('never caches a failure: variables that cannot be costed are refused every time', () => {
    const cache = new CostCache();
    const document = DOCUMENTS[0]!;
    const failing = () => {
      throw new Error('cannot be costed');
    };
    expect(() => cache.cost(document, undefined, { id: 1 }, failing)).toThrow('cannot be costed');
    expect(() => cache.cost(document, undefined, { id: 1 }, failing)).toThrow('cannot be costed');
  });

  it('keeps what the estimator reads and drops what it cannot', () => {
    expect(shapeOf({ ids: ['a', 'b'], first: 5, on: true, none: null, rep: { __typename: 'Build', id: 'x' } }, undefined)).toEqual({
      first: 5,
      ids: { '[]': [['""', 2]] },
      none: null,
      on: true,
      rep: { __typename: 'Build', id: '' },
    });
  });
});

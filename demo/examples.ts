import { upstreamExamples, type EmulatorData } from '../emulator/index.js';
import type { ExampleQuery } from '../src/graphiql/landing-page.js';

/**
 * GraphiQL's opening tabs in the demo: each upstream's own (from its emulator folder), then
 * what the router sends: one `_entities` query with a representation of every type.
 */
export function demoExamples(data: EmulatorData): ExampleQuery[] {
  const examples = upstreamExamples(data);
  const fragments = examples.map(({ entity }) => `    ${entity.fragment}\n`).join('');
  return [
    ...examples.flatMap(({ tabs }) => tabs),
    {
      title: 'What the router sends: _entities with representations of every type',
      query: `query Entities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    __typename\n${fragments}  }\n}`,
      variables: { representations: examples.map(({ entity }) => entity.representation) },
    },
  ];
}

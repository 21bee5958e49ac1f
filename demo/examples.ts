import { upstreamExamples, type EmulatorData } from '../emulator/index.js';
import type { ExampleQuery } from '../src/graphiql/landing-page.js';

/** A JSON value as a GraphQL input literal: object keys bare, strings quoted as JSON quotes them (GraphQL's escapes are JSON's). */
function graphqlLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(graphqlLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([key, member]) => `${key}: ${graphqlLiteral(member)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * GraphiQL's opening tabs in the demo: first each upstream's discovery tab (titled "Discover …":
 * where a person with no ids starts), then each upstream's lookups (from its emulator folder),
 * then what the router sends: one `_entities` query with a representation of every type.
 */
const isDiscovery = (tab: ExampleQuery) => tab.title.startsWith('Discover ');

export function demoExamples(data: EmulatorData): ExampleQuery[] {
  const examples = upstreamExamples(data);
  const fragments = examples.map(({ entity }) => `    ${entity.fragment}\n`).join('');
  // The representations are written in the query, not in variables as the router sends them:
  // GraphiQL's variables checker takes every custom scalar for a string or number, so each
  // `_Any` object there is marked "Expected value of type _Any" although the server accepts it.
  const representations = examples.map(({ entity }) => `    ${graphqlLiteral(entity.representation)}\n`).join('');
  return [
    ...examples.flatMap(({ tabs }) => tabs.filter(isDiscovery)),
    ...examples.flatMap(({ tabs }) => tabs.filter((tab) => !isDiscovery(tab))),
    {
      title: 'What the router sends: _entities of every type\nthe router passes representations as variables',
      query: `query Entities {\n  _entities(representations: [\n${representations}  ]) {\n    __typename\n${fragments}  }\n}`,
    },
  ];
}

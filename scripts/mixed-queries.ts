import type { EmulatorData } from '../src/emulator/index.js';

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

/** A realistic mix of frontend and router queries over the seeded data, for load tests. */
export function mixedRequests(data: EmulatorData): GraphQLBody[] {
  const buildIds = data.builds.map((build) => build.id!);
  const bodies: GraphQLBody[] = [];
  for (let i = 0; i < 20; i += 1) {
    bodies.push({ query: 'query One($id: ID!) { build(id: $id) { id buildStatus projectName startTime endTime } }', variables: { id: buildIds[i]! } });
    bodies.push({
      query: 'query Dashboard($ids: [ID!]!) { builds(ids: $ids) { id buildStatus currentPhase phases { phaseType phaseStatus durationInSeconds } } }',
      variables: { ids: buildIds.slice(i * 10, i * 10 + 25) },
    });
    bodies.push({
      query: 'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on Build { id buildStatus environment { image computeType } } } }',
      variables: { r: buildIds.slice(i * 5, i * 5 + 40).map((id) => ({ __typename: 'Build', id })) },
    });
  }
  return bodies;
}

import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/**
 * A small second subgraph, as another team would own it: releases that reference all four
 * entities of this subgraph by key only. Used to prove composition and to drive a real gateway
 * whose `_entities` fetches must batch to the minimum upstream calls.
 */
export const COMPANION_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Release @key(fields: "id") {
    id: ID!
    name: String!
    builds: [Build!]!
    findings: [Finding!]!
    findingDetails: [FindingDetail!]!
    scans: [Scan!]!
  }

  type Build @key(fields: "id", resolvable: false) { id: ID! }
  type Finding @key(fields: "scanName id", resolvable: false) { scanName: String! id: ID! }
  type FindingDetail @key(fields: "findingArn", resolvable: false) { findingArn: ID! }
  type Scan @key(fields: "id", resolvable: false) { id: ID! }

  type Query {
    release(id: ID!): Release
  }
`;

export interface ReleaseKeys {
  buildIds: string[];
  findings: Array<{ scanName: string; id: string }>;
  findingArns: string[];
  scanIds: string[];
}

export async function startCompanionSubgraph(releases: Record<string, ReleaseKeys>): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(COMPANION_SDL),
        resolvers: {
          Query: {
            release: (_root: unknown, { id }: { id: string }) => {
              const keys = releases[id];
              return keys ? { id, ...keys } : null;
            },
          },
          Release: {
            name: (release: { id: string }) => `release ${release.id}`,
            builds: (release: ReleaseKeys) => release.buildIds.map((id) => ({ __typename: 'Build', id })),
            findings: (release: ReleaseKeys) => release.findings.map((key) => ({ __typename: 'Finding', ...key })),
            findingDetails: (release: ReleaseKeys) =>
              release.findingArns.map((findingArn) => ({ __typename: 'FindingDetail', findingArn })),
            scans: (release: ReleaseKeys) => release.scanIds.map((id) => ({ __typename: 'Scan', id })),
          },
        },
      },
    ]),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

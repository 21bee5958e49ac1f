/**
 * The naive subgraph of the comparison: what many teams write first. @apollo/server with
 * @apollo/subgraph, a minimal SDL, and resolvers that make one upstream call per entity with the
 * official SDK clients: no DataLoader, no batching, no cache. Configured the way the SDK is by
 * default, from the environment (AWS_REGION, AWS_ENDPOINT_URL_*, credentials), so it points at the
 * emulator exactly as the subgraph does. Prints its URL. Serves Build and FindingDetail
 * (CodeGuru Security has no SDK client in this project's dependencies).
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { BatchGetFindingDetailsCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { parse } from 'graphql';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Build @key(fields: "id") { id: ID! buildStatus: String projectName: String buildNumber: Int currentPhase: String sourceVersion: String startTime: String endTime: String }
  type FindingDetail @key(fields: "findingArn") { findingArn: ID! riskScore: Int epssScore: Float cwes: [String!] }
  type Query {
    build(id: ID!): Build
    builds(ids: [ID!]!): [Build]
    findingDetails(findingArns: [ID!]!): [FindingDetail]
  }
`);

const codebuild = new CodeBuildClient({});
const inspectors = new Map<string, Inspector2Client>();
// An ARN names its region (arn:aws:inspector2:<region>:...); the call must be signed for it.
const inspectorFor = (arn: string) => {
  const region = arn.split(':')[3]!;
  let client = inspectors.get(region);
  if (!client) inspectors.set(region, (client = new Inspector2Client({ region })));
  return client;
};

const build = async (id: string) => (await codebuild.send(new BatchGetBuildsCommand({ ids: [id] }))).builds?.[0] ?? null;
const detail = async (findingArn: string) =>
  (await inspectorFor(findingArn).send(new BatchGetFindingDetailsCommand({ findingArns: [findingArn] }))).findingDetails?.[0] ?? null;

const resolvers = {
  Query: {
    build: (_: unknown, args: { id: string }) => build(args.id),
    builds: (_: unknown, args: { ids: string[] }) => args.ids.map(build),
    findingDetails: (_: unknown, args: { findingArns: string[] }) => args.findingArns.map(detail),
  },
  Build: {
    __resolveReference: (reference: { id: string }) => build(reference.id),
    startTime: (parent: { startTime?: Date }) => parent.startTime?.toISOString(),
    endTime: (parent: { endTime?: Date }) => parent.endTime?.toISOString(),
  },
  FindingDetail: { __resolveReference: (reference: { findingArn: string }) => detail(reference.findingArn) },
};

const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }) });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`URL ${url}\n`);
process.once('SIGTERM', () => process.exit(0));

/**
 * The floor contender of measure 3: the least a GraphQL server can do to answer `build(id)` with
 * the official SDK and cross-request batching. Apollo Server, one resolver, one process-wide
 * batcher (keys of one event-loop turn, up to BatchGetBuilds' 100 per call) and nothing else: no
 * limits, no deadline, no cost analysis, no logging, no metrics, no per-request isolation, the
 * SDK's own deserializer. Whatever this spends per request is spent by any subgraph built on
 * Apollo Server and the SDK; this subgraph's distance to it is what its own features cost.
 * Prints its URL.
 */
import { setImmediate } from 'node:timers';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';

const MAX_IDS = 100;
const codebuild = new CodeBuildClient({});

/** @type {Map<string, Array<{ resolve: (build: unknown) => void, reject: (error: unknown) => void }>>} */
let pending = new Map();
let scheduled = false;

function flush() {
  scheduled = false;
  const batch = pending;
  pending = new Map();
  const ids = [...batch.keys()];
  for (let at = 0; at < ids.length; at += MAX_IDS) {
    const chunk = ids.slice(at, at + MAX_IDS);
    codebuild.send(new BatchGetBuildsCommand({ ids: chunk })).then(
      (output) => {
        const byId = new Map((output.builds ?? []).map((build) => [build.id, build]));
        for (const id of chunk) for (const waiter of batch.get(id)) waiter.resolve(byId.get(id) ?? null);
      },
      (error) => {
        for (const id of chunk) for (const waiter of batch.get(id)) waiter.reject(error);
      },
    );
  }
}

/** @param {string} id */
function load(id) {
  return new Promise((resolve, reject) => {
    let waiters = pending.get(id);
    if (!waiters) pending.set(id, (waiters = []));
    waiters.push({ resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

const server = new ApolloServer({
  typeDefs: 'type Build { id: ID! buildStatus: String projectName: String } type Query { build(id: ID!): Build }',
  resolvers: { Query: { build: (_, { id }) => load(id) } },
});
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`URL ${url}\n`);
process.once('SIGTERM', () => process.exit(0));

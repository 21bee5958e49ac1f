/**
 * The floor contenders of measure 5: the least a server can hold to answer 1000 full builds with
 * the official SDK. `MEMORY_FLOOR=rest`: node:http, 10 BatchGetBuilds calls of 100 ids at once,
 * `JSON.stringify` of what the SDK returns. `MEMORY_FLOOR=apollo`: the same behind Apollo Server,
 * the builds returned whole through one pass-through JSON scalar (no typed fields to resolve).
 * Both take `{ "variables": { "ids": [...] } }` as a POST body, like a GraphQL request. Prints its URL.
 */
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';

const MAX_IDS = 100;
const codebuild = new CodeBuildClient({});

/** @param {string[]} ids */
async function builds(ids) {
  const calls = [];
  for (let at = 0; at < ids.length; at += MAX_IDS)
    calls.push(codebuild.send(new BatchGetBuildsCommand({ ids: ids.slice(at, at + MAX_IDS) })));
  return (await Promise.all(calls)).flatMap((output) => output.builds ?? []);
}

if (process.env.MEMORY_FLOOR === 'apollo') {
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const { GraphQLScalarType } = await import('graphql');
  const server = new ApolloServer({
    typeDefs: 'scalar JSON type Query { builds(ids: [ID!]!): JSON }',
    resolvers: {
      JSON: new GraphQLScalarType({ name: 'JSON', serialize: (value) => value }),
      Query: { builds: (_, { ids }) => builds(ids) },
    },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  process.stdout.write(`URL ${url}\n`);
} else {
  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      builds(variables.ids).then(
        (found) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { builds: found } })),
        () => response.writeHead(502, { 'content-type': 'application/json' }).end('{"errors":[{"message":"upstream"}]}'),
      );
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`URL http://127.0.0.1:${server.address().port}/\n`));
}
process.once('SIGTERM', () => process.exit(0));

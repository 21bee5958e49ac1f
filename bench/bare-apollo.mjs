// The floor for the throughput comparison: an Apollo Server answering a constant, run with
// plain node like the built subgraph. Prints its URL.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const server = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`URL ${url}\n`);
process.once('SIGTERM', () => process.exit(0));

/**
 * The REST contender of the comparison: what a team might write instead of a subgraph. node:http,
 * `GET /builds/:id`, one BatchGetBuilds call per request with the official SDK client configured
 * from the environment, the build as JSON. Prints its URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';

const codebuild = new CodeBuildClient({});

const server = createServer((request, response) => {
  const match = /^\/builds\/([^/?]+)$/.exec(request.url ?? '');
  if (request.method !== 'GET' || !match) {
    response.writeHead(404).end();
    return;
  }
  codebuild.send(new BatchGetBuildsCommand({ ids: [decodeURIComponent(match[1]!)] })).then(
    (output) => {
      const build = output.builds?.[0];
      response.writeHead(build ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(build ?? { error: 'not found' }));
    },
    () => response.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"upstream"}'),
  );
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`URL http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`);
});
process.once('SIGTERM', () => process.exit(0));

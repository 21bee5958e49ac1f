import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors.js';
import { serveGraphiQLAsset } from '../graphiql/assets.js';
import { serveFavicon } from '../graphiql/favicon.js';
import { serveOffPage } from '../graphiql/off-page.js';
import { healthPayload } from '../reliability/health.js';
import type { UpstreamModules, Upstreams } from '../upstreams/registry.js';
import type { GraphQLHandler } from './graphql-handler.js';
import { parseRequestTarget, type RequestTarget } from './request-target.js';
import { send, sendGraphQLError } from './respond.js';
import { isLandingPageRequest, routerAuthorized } from './router-auth.js';

export interface RoutesOptions {
  /** Set: only the router (`router-authorization: <secret>`) may query /graphql. */
  routerSecret: string | undefined;
  /** INTROSPECTION=on: GraphiQL and its assets are served; off: a browser at /graphql gets the static off page. */
  graphiql: boolean;
  upstreams: Upstreams<UpstreamModules>;
  logger: Logger;
  /** False once stopping: /health then answers 503. */
  isServing: () => boolean;
  graphql: GraphQLHandler;
}

type Route = (req: IncomingMessage, res: ServerResponse, target: RequestTarget, receivedAt: number) => void | Promise<void>;

/** The public port's request listener: every path and method it answers, and what it answers to the rest. */
export function requestListener(options: RoutesOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = routeTable(options);
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = performance.now();
    const target = parseRequestTarget(req.url);
    if (!target) {
      sendGraphQLError(res, 400, 'BAD_REQUEST', 'The request-target is not a valid path.', { connection: 'close' });
      return;
    }
    const serve = routes.find(([matches]) => matches(target.pathname))?.[1] ?? notFound;
    await serve(req, res, target, receivedAt);
  };
  return (req, res) => {
    // A response whose client went away may still be written to: never an uncaught 'error'.
    res.on('error', (error) => options.logger.debug({ err: error }, 'response stream failed'));
    route(req, res).catch((error: unknown) => {
      options.logger.error({ err: error }, 'unhandled error while serving a request');
      sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
  };
}

/** First match wins. */
function routeTable({
  routerSecret,
  graphiql,
  upstreams,
  isServing,
  graphql,
}: RoutesOptions): ReadonlyArray<readonly [(pathname: string) => boolean, Route]> {
  const health: Route = (_req, res) => {
    const serving = isServing();
    send(res, serving ? 200 : 503, { 'content-type': 'application/json' }, JSON.stringify(healthPayload(serving, upstreams.circuits)));
  };
  const graphiqlAsset: Route = (req, res, target) => {
    if (req.method === 'GET') serveGraphiQLAsset(target.pathname, res);
    else send(res, 405, { 'content-type': 'text/plain', allow: 'GET' }, 'Method not allowed');
  };
  const favicon: Route = (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') serveFavicon(res);
    else send(res, 405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }, 'Method not allowed');
  };
  const graphqlEndpoint: Route = async (req, res, target, receivedAt) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendGraphQLError(
        res,
        405,
        'BAD_REQUEST',
        `${req.method ?? 'This method'} is not supported: send GraphQL with POST (or GET for queries).`,
        { allow: 'GET, POST' },
      );
      return;
    }
    // The same request that would get GraphiQL's shell, so it needs no router secret either.
    if (!graphiql && isLandingPageRequest(req, target)) {
      serveOffPage(res);
      return;
    }
    const routerAuthenticated = routerSecret !== undefined && routerAuthorized(req, routerSecret);
    if (routerSecret !== undefined && !routerAuthenticated && !isLandingPageRequest(req, target)) {
      // The convention of Apollo's subgraph templates: only the router may query this subgraph.
      sendGraphQLError(res, 401, ErrorCode.UNAUTHENTICATED, 'Missing or invalid router-authorization header.');
      return;
    }
    await graphql(req, res, { target, routerAuthenticated, receivedAt });
  };
  return [
    [(pathname) => pathname === '/health', health],
    [(pathname) => pathname === '/favicon.ico', favicon],
    // Off, no GraphiQL at all: its assets are unknown paths like any other.
    [(pathname) => graphiql && pathname.startsWith('/graphiql/'), graphiqlAsset],
    [(pathname) => pathname === '/graphql', graphqlEndpoint],
  ];
}

const notFound: Route = (_req, res) => {
  send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: 'Not found: GraphQL is served at /graphql.' }));
};

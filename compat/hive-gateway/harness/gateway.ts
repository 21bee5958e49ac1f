import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayConfigSupergraph, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler as routerUnifiedGraphHandler } from '@graphql-hive/router-runtime';
import useJWT, { createInlineSigningKeyProvider, type JWTAuthContextExtension } from '@graphql-mesh/plugin-jwt-auth';
import { JWT_SIGNING_KEY } from './tokens.js';

/** `default`: the JavaScript query planner; `router`: Hive Router's Rust query planner (a native addon) in the same runtime. */
export type GatewayRuntimeKind = 'default' | 'router';

export interface HiveGatewayOptions {
  supergraphSdl: string;
  runtime: GatewayRuntimeKind;
  /** Sent to every subgraph as `router-authorization`; omitted, the gateway sends none (the negative control). */
  routerSecret?: string;
}

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * Hive Gateway's runtime in this process, served over real HTTP, configured as a platform team would:
 * - JWT auth (`useJWT`, HS256 inline key): requests without a valid token are refused (the plugin's default);
 * - generic auth in `protect-granular` mode: `@requiresScopes` fields need the JWT's scopes; with
 *   `rejectUnauthenticated: false` a missing scope costs only that field (an error at its path), not the request;
 * - the subgraph's shared secret in every subgraph request (`transportEntries`, all subgraphs).
 */
export async function startHiveGateway(options: HiveGatewayOptions): Promise<RunningGateway> {
  const config: GatewayConfigSupergraph<JWTAuthContextExtension> = {
    supergraph: options.supergraphSdl,
    logging: false,
    ...(options.runtime === 'router' ? { unifiedGraphHandler: routerUnifiedGraphHandler } : {}),
    ...(options.routerSecret === undefined
      ? {}
      : { transportEntries: { '*': { headers: [['router-authorization', options.routerSecret]] } } }),
    // The plugin's bundled typings inline their own copy of @graphql-hive/logger's Logger class (a `#private` member),
    // so TypeScript sees two unrelated Loggers; at run time there is one. Hence the cast, and only of the type.
    plugins: () => [useJWT({ signingKeyProviders: [createInlineSigningKeyProvider(JWT_SIGNING_KEY)] }) as unknown as GatewayPlugin],
    genericAuth: {
      mode: 'protect-granular',
      resolveUserFn: (context: JWTAuthContextExtension) => context.jwt?.payload,
      rejectUnauthenticated: false,
    },
  };
  const gateway = createGatewayRuntime(config);
  // The adapter's Node listener (it answers errors itself), not the promise-returning handler.
  const server = createServer(gateway.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await gateway[Symbol.asyncDispose]();
    },
  };
}

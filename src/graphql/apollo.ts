import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Logger } from 'pino';
import type { CoreConfig as Config } from '../config/core.js';
import type { RequestContext } from '../context.js';
import { graphiqlLandingPage, type ExampleQuery } from '../graphiql/landing-page.js';
import type { Metrics } from '../observability/metrics.js';
import { requestLogPlugin } from '../observability/request-log.js';
import { tracingPlugin } from '../observability/tracing-plugin.js';
import { buildSchema } from '../schema.js';
import { sensitiveResponsePlugin } from '../sensitive-fields.js';
import { cacheControlPlugin } from './cache-control.js';
import { costLimitPlugin } from './cost-limit-plugin.js';
import { fanOutLimitPlugin } from './fan-out-limits.js';
import { formatError } from './format-error.js';
import { responseSizeLimitPlugin } from './response-size-limit.js';
import { knownRootOperationTypesRule } from './root-operation-types.js';
import { subscriptionRefusalPlugin } from './subscription-refusal.js';
import { explainTokenLimit } from './token-limit.js';
import type { UpstreamModules } from '../upstreams/registry.js';

export interface ApolloOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The public listener, drained by Apollo on stop. */
  httpServer: Server;
  examples: readonly ExampleQuery[];
  /** The upstream modules whose SDL and resolvers make the schema (default: the registry). */
  modules?: UpstreamModules;
}

// graphql-armor words every refusal "Syntax Error: …" though the document parsed: the limit's own
// text ("Query depth limit of 12 exceeded, found 13.") is reported without that prefix.
const reportRejection = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(
        new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { nodes: error.nodes, extensions: error.extensions }),
      ),
  ],
};

/** The Apollo server of the subgraph (not started): schema, validation rules, plugins in the order they run, error formatting. */
export function createApollo({ config, logger, metrics, httpServer, examples, modules }: ApolloOptions): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema: buildSchema(logger, {
      authorizationDirectives: config.authorizationDirectives,
      sensitiveFields: config.sensitiveFields,
      modules,
    }),
    // Shutdown is src/shutdown.ts's (drain, then exit 0). Apollo's own handlers (on unless
    // NODE_ENV=test) would stop the server and re-raise the signal: the process died of SIGTERM (143).
    stopOnTerminationSignals: false,
    // Stack traces and upstream internals never reach a response, whatever NODE_ENV says.
    includeStacktraceInErrorResponses: false,
    // INTROSPECTION decides, not NODE_ENV (Apollo's default would turn it off in production,
    // leaving GraphiQL without docs or completion).
    introspection: config.introspection,
    // Apollo's default is JSON.stringify(value) + '\n': for a 7.8 MB answer, a string that node
    // then copies flat again (with the status line and headers prepended) before encoding it.
    // The newline is written separately by the HTTP handler (src/http/graphql-handler.ts).
    stringifyResult: (value) => JSON.stringify(value),
    formatError: (formatted, error) => formatError(explainTokenLimit(formatted, config.limits.maxTokens), error, logger),
    parseOptions: { maxTokens: config.limits.maxTokens },
    // Query shape limits from graphql-armor (maintained, used by Apollo and Envelop users);
    // fan-out by keys is capped separately by fanOutLimitPlugin.
    // Reported as validation errors (400), not thrown (which Apollo would treat as a crash).
    validationRules: [
      knownRootOperationTypesRule,
      maxDepthRule({ n: config.limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...reportRejection }),
      // allowList []: aliases of __typename count too (graphql-armor exempts them by default).
      maxAliasesRule({ n: config.limits.maxAliases, allowList: [], ...reportRejection }),
    ],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      requestLogPlugin(metrics),
      tracingPlugin(),
      subscriptionRefusalPlugin(),
      fanOutLimitPlugin(config.limits),
      costLimitPlugin(config.limits.maxQueryCost),
      // Apollo would add this one last, after the size cap: the trace would be added to what the
      // cap measured (or to its refusal). Registered here, it writes `ftv1` first and the cap
      // counts it. The HTTP handler passes the trace header on only from the authenticated
      // router, so no other caller gets a trace. Errors inside a trace stay masked.
      ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
      responseSizeLimitPlugin(config.limits.maxResponseBytes),
      sensitiveResponsePlugin,
      // GraphiQL exactly where introspection is on. Off, Apollo renders no page at all (not its
      // CDN-loaded default either): the HTTP routes answer a browser with the static off page.
      config.introspection ? graphiqlLandingPage(examples) : ApolloServerPluginLandingPageDisabled(),
      // Apollo's cacheControl plugin hooks every field (willResolveField), which makes Apollo wrap
      // every resolver: ours computes the same header from the few fields that can change it
      // (src/graphql/cache-control.ts), last, where Apollo would have added its own.
      ApolloServerPluginCacheControlDisabled(),
      cacheControlPlugin<RequestContext>(),
    ],
    logger,
  });
}

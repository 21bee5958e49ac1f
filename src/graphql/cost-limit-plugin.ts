import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors.js';
import { CostCache } from './cost-cache.js';
import { overCostError, queryCost } from './query-cost.js';

/**
 * Refuses, before anything executes (so before any upstream call), an operation whose estimated
 * cost (query-cost.ts) is over `maxCost`: HTTP 400, BAD_USER_INPUT, the cost and the limit
 * in the message. Runs at didResolveOperation, where variables are known: key lists usually
 * arrive as variables, and they are what the cost is made of.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  const costs = new CostCache();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema, operationName }) {
          let cost: number;
          try {
            const variables = request.variables ?? {};
            const name = operationName ?? undefined;
            cost = costs.cost(document, name, variables, () => queryCost(schema, document, variables, name));
          } catch (error) {
            // Fails closed: an operation that cannot be costed (ill-typed variables, or more
            // selections than the walk visits) does not run.
            const message = error instanceof GraphQLError ? error.message : `The operation could not be costed${reasonOf(error)}.`;
            throw new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
          }
          if (cost > maxCost) throw overCostError(cost, maxCost);
        },
      };
    },
  };
}

/** Why the walk failed, when that is safe and useful to say (a value nested past the stack's depth). */
function reasonOf(error: unknown): string {
  return error instanceof RangeError && /call stack/i.test(error.message) ? ': a variable or argument value is nested too deeply' : '';
}

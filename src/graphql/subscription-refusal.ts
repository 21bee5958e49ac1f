import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * This subgraph has no Subscription type and no transport for one. graphql-js would reject a
 * subscription at execution with an error Apollo reports as an internal one; it is the
 * client's mistake, so it is refused up front with a 400 that says so.
 */
export function subscriptionRefusalPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are not supported by this subgraph: send a query.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * graphql-js 16 validates a `mutation` against a schema without a Mutation type and only fails
 * at execution, where Apollo reports it as an internal error (logged with a stack). It is the
 * client's mistake: refused here as a validation error (GRAPHQL_VALIDATION_FAILED, HTTP 400),
 * as graphql-js 17's KnownOperationTypesRule does, for any operation of the document.
 *
 * Subscriptions are left to subscriptionRefusalPlugin, which answers them BAD_REQUEST.
 */
export function knownRootOperationTypesRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== 'mutation' || context.getSchema().getMutationType()) return;
      context.reportError(new GraphQLError('This subgraph has no mutations: send a query.', { nodes: node }));
    },
  };
}

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getArgumentValues, getNullableType, isListType, type FragmentDefinitionNode } from 'graphql';
import { ErrorCode } from '../errors.js';
import { fieldsOf } from './selections.js';

export interface FanOutLimits {
  /** Most keys one list argument (`ids`, `identifiers`, `findingArns`, `representations`) may carry. */
  maxKeysPerList: number;
  /** Most keys all root fields of one operation may carry together (aliases included). */
  maxKeysPerRequest: number;
}

/**
 * Refuses, before anything executes, an operation whose root fields ask for more keys than
 * allowed: one query must not turn into thousands of upstream calls. Counts every list
 * argument of every root field, so `_entities` representations and aliased copies of
 * `builds(ids:)` are counted alike.
 */
export function fanOutLimitPlugin(limits: FanOutLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
          }
          const root =
            operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : null;
          if (!root) return;
          let total = 0;
          // Every root field counts, @skip/@include or not: the limit is checked on what was sent.
          for (const field of fieldsOf(operation.selectionSet, { fragment: (name) => fragments.get(name) })) {
            const definition = root.getFields()[field.name.value];
            if (!definition) continue;
            let args: Record<string, unknown>;
            try {
              args = getArgumentValues(definition, field, request.variables ?? {});
            } catch {
              // Missing or ill-typed variables: execution reports them properly (BAD_USER_INPUT).
              continue;
            }
            for (const arg of definition.args) {
              const value = args[arg.name];
              if (!isListType(getNullableType(arg.type)) || !Array.isArray(value)) continue;
              const name = `${field.alias?.value ?? field.name.value}(${arg.name}:)`;
              if (value.length > limits.maxKeysPerList) {
                throw limitError(
                  `${name} carries ${value.length} keys; at most ${limits.maxKeysPerList} are allowed per list. Split the request.`,
                );
              }
              total += value.length;
            }
          }
          if (total > limits.maxKeysPerRequest) {
            throw limitError(
              `This operation asks for ${total} keys in all; at most ${limits.maxKeysPerRequest} are allowed per request. Split the request.`,
            );
          }
        },
      };
    },
  };
}

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
}

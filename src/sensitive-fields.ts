/**
 * Fields the SDL guards with federation authorization directives (`@requiresScopes`, and
 * `@authenticated` / `@policy` should any appear) hold secrets: environment variable values,
 * registry credentials, source auth resources. Only a router configured for them enforces those
 * directives, so this subgraph serves such a field only when
 *
 * - the request carries the router's `ROUTER_SECRET` (the router has vouched: it enforced the
 *   scopes before forwarding), or
 * - the operator opted in with `SENSITIVE_FIELDS=allow` (the demo does, on emulator data).
 *
 * Otherwise the field answers null with a FORBIDDEN error at its own path, and the rest of the
 * response is intact. Any response that carries a sensitive value is `Cache-Control: private,
 * no-store`, whatever the entity hints say: no shared cache may keep a secret.
 *
 * The fields are found from the SDL as written (before `AUTHORIZATION_DIRECTIVES=strip`), so
 * stripping the directives for a gateway never removes the guard.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  defaultFieldResolver,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { SensitiveFieldsPolicy } from './config/core.js';
import type { BaseRequestContext as RequestContext } from './request-context.js';
import { ErrorCode, SubgraphError } from './errors.js';

export type { SensitiveFieldsPolicy };

const GUARDS = new Set(['requiresScopes', 'authenticated', 'policy']);

/** The response header of any answer holding a sensitive value. */
export const SENSITIVE_CACHE_CONTROL = 'private, no-store';

/** Requests (by their context) whose response carries at least one sensitive value. */
const servedSensitive = new WeakSet<object>();

/** `@requiresScopes codebuild:read-sensitive`, `@authenticated`, `@policy p`: short, as it repeats per item. */
function describeGuard(directive: DirectiveNode): string {
  const values = (directive.arguments ?? []).flatMap((argument) => {
    const value = valueFromASTUntyped(argument.value);
    return (Array.isArray(value) ? value.flat(2) : [value]).map(String);
  });
  return [`@${directive.name.value}`, ...values].join(' ');
}

/** Guarded field coordinates (`Type.field`), each with the directive that guards it, as written. */
export function findSensitiveFields(document: DocumentNode): Map<string, string> {
  const guardedTypes = new Map<string, string>();
  const fields = new Map<string, { type: string; field: string; returns: string }>();
  const found = new Map<string, string>();
  const guardOf = (directives: readonly DirectiveNode[] | undefined) => {
    const directive = directives?.find((node) => GUARDS.has(node.name.value));
    return directive ? describeGuard(directive) : undefined;
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || definition.name === undefined || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    const typeGuard = guardOf(definition.directives);
    if (typeGuard) guardedTypes.set(typeName, typeGuard);
    if (!('fields' in definition) || definition.fields === undefined) continue;
    for (const field of definition.fields) {
      if (field.kind !== 'FieldDefinition') continue;
      let named = field.type;
      while (named.kind !== 'NamedType') named = named.type;
      const coordinate = `${typeName}.${field.name.value}`;
      fields.set(coordinate, { type: typeName, field: field.name.value, returns: named.name.value });
      const fieldGuard = guardOf(field.directives);
      if (fieldGuard) found.set(coordinate, fieldGuard);
    }
  }
  // A guarded type guards its own fields (object, interface) and every field returning it (scalar, enum, object).
  for (const [coordinate, { type, returns }] of fields) {
    const guard = found.get(coordinate) ?? guardedTypes.get(type) ?? guardedTypes.get(returns);
    if (guard) found.set(coordinate, guard);
  }
  return found;
}

/**
 * Wraps the resolver of every sensitive field of `schema` (found in `document`, the SDL as
 * written). Throws at start-up when such a field is non-null: its null would wipe its parent.
 */
export function guardSensitiveFields(schema: GraphQLSchema, document: DocumentNode, policy: SensitiveFieldsPolicy): void {
  const guarded = findSensitiveFields(document);
  // A field guarded on an interface resolves on the objects that implement it.
  for (const [coordinate, guard] of [...guarded]) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    if (!isInterfaceType(type)) continue;
    for (const implementation of schema.getPossibleTypes(type)) guarded.set(`${implementation.name}.${fieldName}`, guard);
  }
  for (const [coordinate, guard] of guarded) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const field = type.getFields()[fieldName];
    if (!field) continue;
    if (isNonNullType(field.type)) {
      throw new Error(
        `${coordinate} carries ${guard} but is non-null (${String(field.type)}): make it nullable in schema/*.graphql and run npm run codegen, so that a caller without the scope gets null and FORBIDDEN at that field, not a null parent.`,
      );
    }
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: RequestContext | undefined, info: GraphQLResolveInfo) => {
      if (policy !== 'allow' && context?.routerAuthenticated !== true) throw forbidden(coordinate, guard);
      const value: unknown = resolve(source, args, context, info);
      if (value instanceof Promise) return value.then((resolved: unknown) => served(resolved, context, info));
      return served(value, context, info);
    };
  }
}

function served<V>(value: V, context: RequestContext | undefined, info: GraphQLResolveInfo): V {
  if (value !== null && value !== undefined && context) {
    servedSensitive.add(context);
    // Also tells Apollo's cache policy (and so the router's entity cache) not to keep this.
    (
      info as GraphQLResolveInfo & { cacheControl?: { cacheHint: { restrict(hint: { maxAge: number; scope: 'PRIVATE' }): void } } }
    ).cacheControl?.cacheHint.restrict({ maxAge: 0, scope: 'PRIVATE' });
  }
  return value;
}

function forbidden(coordinate: string, guard: string): SubgraphError {
  return new SubgraphError(
    ErrorCode.FORBIDDEN,
    // Short: a list of 1000 builds repeats it for every environment variable.
    `${coordinate} is sensitive (${guard}): served only through the router (ROUTER_SECRET), which enforces it, or with SENSITIVE_FIELDS=allow.`,
  );
}

/** Marks every response that carries a sensitive value `Cache-Control: private, no-store`. */
export const sensitiveResponsePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (servedSensitive.has(contextValue)) response.http.headers.set('cache-control', SENSITIVE_CACHE_CONTROL);
      },
    };
  },
};

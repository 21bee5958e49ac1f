import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isObjectType,
  type ConstDirectiveNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { registerRequestCachePolicy } from '../cache-hints.js';

/**
 * The response's Cache-Control, computed as Apollo's cacheControl plugin does (same hints, same
 * header) without its per-field hook. Apollo's plugin implements `willResolveField`, which makes
 * Apollo wrap every resolver of the schema and call into the plugin for every field of every
 * object: 1000 builds with a thin selection are ~30,000 calls, ~28 ms of a mixed query's CPU.
 *
 * Here the static hints (`@cacheControl` on types and fields) are read once per schema. Only the
 * fields that can change the policy get a wrapper: the root fields (the default max-age of 0
 * applies to a root field without a hint, and the entity resolvers set their dynamic hints there)
 * and the fields whose type or field carries a hint or would default to 0 (a composite type
 * without `inheritMaxAge`). Every other field - scalars and `inheritMaxAge` types, which is
 * nearly all of an answer - restricts nothing in Apollo's plugin either, so it is left alone.
 * The policy is the minimum over the wrapped fields resolved, restricted on the request's
 * `overallCachePolicy`, and the header is then written exactly as Apollo writes it.
 * A dynamic hint from a field that is not wrapped (src/cache-hints.ts restrictMaxAge) restricts
 * the request's policy directly: the same result as Apollo's field policy, which would have been
 * folded into the overall one.
 */

// Apollo's types (from @apollo/cache-control-types, which is not a dependency of ours).
type CachePolicy = GraphQLRequestContext<object>['overallCachePolicy'];
type CacheHint = Parameters<CachePolicy['restrict']>[0] & { inheritMaxAge?: boolean };

/** What one field adds to the policy when it resolves, decided from the SDL alone. */
interface FieldHint {
  /** The field's policy before any dynamic hint: the type's annotation, then the field's. */
  initial: CacheHint;
  /** No max-age from the SDL nor from a dynamic hint: restrict to the default (0) once resolved. */
  defaultsToZero: boolean;
}

const DEFAULT_MAX_AGE = 0;
const UNCACHEABLE = 'no-store';
const CACHEABLE = /^max-age=(\d+), (public|private)$/;

/** The request policies by context object: the wrappers find their request's policy there. */
const policies = new WeakMap<object, CachePolicy>();
const instrumented = new WeakSet<GraphQLSchema>();

/**
 * Wraps the fields of `schema` that can change the cache policy (see above), once per schema.
 * Call it after every other resolver wrapper is installed (it wraps what is there).
 */
export function instrumentCacheControl(schema: GraphQLSchema): void {
  if (instrumented.has(schema)) return;
  instrumented.add(schema);
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const isRoot = roots.has(type);
    for (const field of Object.values(type.getFields())) {
      const hint = fieldHint(field, isRoot);
      if (hint) wrap(field, hint);
    }
  }
}

/** The hint a field adds, or undefined when it can add none from the SDL (scalars, inheriting types). */
export function fieldHint(field: GraphQLField<unknown, unknown>, isRoot: boolean): FieldHint | undefined {
  const policy: CacheHint = {};
  let inheritMaxAge = false;
  const target = getNamedType(field.type);
  if (isCompositeType(target)) {
    const typeHint = annotationOfType(target);
    replace(policy, typeHint);
    inheritMaxAge = typeHint.inheritMaxAge === true;
  }
  const own = annotationOf(field.astNode?.directives);
  if (own?.inheritMaxAge && policy.maxAge === undefined) {
    inheritMaxAge = true;
    if (own.scope) policy.scope = own.scope;
  } else if (own) {
    replace(policy, own);
  }
  const defaultsToZero = policy.maxAge === undefined && ((isCompositeType(target) && !inheritMaxAge) || isRoot);
  if (!isRoot && !defaultsToZero && policy.maxAge === undefined && policy.scope === undefined) return undefined;
  return {
    initial: { ...(policy.maxAge !== undefined && { maxAge: policy.maxAge }), ...(policy.scope && { scope: policy.scope }) },
    defaultsToZero,
  };
}

function wrap(field: GraphQLField<unknown, unknown>, hint: FieldHint): void {
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => {
    const overall = context && typeof context === 'object' ? policies.get(context) : undefined;
    if (!overall) return resolve(source, args, context, info);
    // Nested fields that are not wrapped find the request's policy from here (restrictMaxAge).
    if (info.path.prev === undefined) registerRequestCachePolicy(info, overall);
    const policy = newPolicy();
    policy.replace(hint.initial);
    (info as { cacheControl?: unknown }).cacheControl = {
      setCacheHint: (dynamic: CacheHint) => policy.replace(dynamic),
      cacheHint: policy,
      cacheHintFromType: annotationOfType,
    };
    const finish = () => {
      if (policy.maxAge === undefined && hint.defaultsToZero) policy.restrict({ maxAge: DEFAULT_MAX_AGE });
      overall.restrict(policy);
    };
    try {
      const result = resolve(source, args, context, info);
      whenFinished(result, finish);
      return result;
    } catch (error) {
      finish();
      throw error;
    }
  };
}

/** Apollo's timing (utils/schemaInstrumentation.js): a promise when settled, a list of promises when all are. */
function whenFinished(result: unknown, callback: () => void): void {
  if (isPromiseLike(result)) {
    result.then(
      (value) => whenFinished(value, callback),
      () => callback(),
    );
  } else if (Array.isArray(result) && result.some(isPromiseLike)) {
    Promise.all(result).then(
      () => callback(),
      () => callback(),
    );
  } else {
    callback();
  }
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function';

/**
 * Registered where Apollo would add its own cacheControl plugin (last), with
 * ApolloServerPluginCacheControlDisabled() beside it: the same header, the same precedence over a
 * header another plugin set (an unparsable one such as `private, no-store` is left as it is).
 */
export function cacheControlPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async serverWillStart({ schema }) {
      instrumentCacheControl(schema);
    },
    async requestDidStart() {
      return {
        async executionDidStart({ contextValue, overallCachePolicy }: GraphQLRequestContext<Context>) {
          // Something restricted the policy before execution (Apollo then ignores field hints).
          if (overallCachePolicy.maxAge !== undefined || overallCachePolicy.scope !== undefined) return;
          policies.set(contextValue, overallCachePolicy);
        },
        async willSendResponse({ response, overallCachePolicy }) {
          const existing = existingHeader(response.http.headers.get('cache-control'));
          if (existing.kind === 'unparsable') return;
          const policy = newPolicy();
          policy.replace(overallCachePolicy);
          if (existing.kind === 'cacheable') policy.restrict(existing.hint);
          const cacheable = policy.policyIfCacheable();
          if (cacheable && existing.kind !== 'uncacheable' && response.body.kind === 'single' && !response.body.singleResult.errors) {
            response.http.headers.set('cache-control', `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}`);
          } else {
            response.http.headers.set('cache-control', UNCACHEABLE);
          }
        },
      };
    },
  };
}

/** Apollo's parseExistingCacheControlHeader. */
function existingHeader(
  header: string | undefined,
): { kind: 'none' | 'uncacheable' | 'unparsable' } | { kind: 'cacheable'; hint: Required<Pick<CacheHint, 'maxAge' | 'scope'>> } {
  if (!header) return { kind: 'none' };
  if (header === UNCACHEABLE) return { kind: 'uncacheable' };
  const match = CACHEABLE.exec(header);
  if (!match) return { kind: 'unparsable' };
  return { kind: 'cacheable', hint: { maxAge: Number(match[1]), scope: match[2] === 'public' ? 'PUBLIC' : 'PRIVATE' } };
}

/** Apollo's CachePolicy (cachePolicy.js, not exported by @apollo/server): restrict keeps the lower max-age and PRIVATE. */
export function newPolicy(): CachePolicy {
  return {
    maxAge: undefined,
    scope: undefined,
    restrict(hint: CacheHint) {
      if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge)) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined && this.scope !== 'PRIVATE') this.scope = hint.scope;
    },
    replace(hint: CacheHint) {
      if (hint.maxAge !== undefined) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined) this.scope = hint.scope;
    },
    policyIfCacheable() {
      if (this.maxAge === undefined || this.maxAge === 0) return null;
      return { maxAge: this.maxAge, scope: this.scope ?? 'PUBLIC' };
    },
  };
}

function replace(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}

const typeAnnotations = new WeakMap<GraphQLCompositeType, CacheHint>();

/** A type's `@cacheControl` (its definition, then its extensions), as Apollo reads it; memoized. */
export function annotationOfType(type: GraphQLCompositeType): CacheHint {
  let annotation = typeAnnotations.get(type);
  if (!annotation) {
    annotation =
      annotationOf(type.astNode?.directives) ??
      (type.extensionASTNodes ?? []).map((node) => annotationOf(node.directives)).find((hint) => hint !== undefined) ??
      {};
    typeAnnotations.set(type, annotation);
  }
  return annotation;
}

/** Apollo's cacheAnnotationFromDirectives: literal arguments only. */
function annotationOf(directives: readonly ConstDirectiveNode[] | undefined): CacheHint | undefined {
  const directive = directives?.find((node) => node.name.value === 'cacheControl');
  if (!directive?.arguments) return undefined;
  const argument = (name: string) => directive.arguments!.find((node) => node.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scopeName = scopeValue?.kind === 'EnumValue' ? scopeValue.value : undefined;
  const scope = scopeName === 'PUBLIC' || scopeName === 'PRIVATE' ? scopeName : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === 'BooleanValue' && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = argument('maxAge');
  return { maxAge: maxAge?.kind === 'IntValue' ? parseInt(maxAge.value, 10) : undefined, scope };
}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  concatAST,
  defaultFieldResolver,
  getNamedType,
  isEnumType,
  isObjectType,
  parse,
  visit,
  type DocumentNode,
  GraphQLScalarType,
  type GraphQLEnumType,
  type GraphQLSchema,
} from 'graphql';
import { DateTimeResolver, JSONResolver, SafeIntResolver } from 'graphql-scalars';
import type { Logger } from 'pino';
import type { Resolvers } from './generated/resolvers-types.js';
import { useStrictEntities } from './input/entities.js';
import type { SensitiveFieldsPolicy } from './config/core.js';
import { guardSensitiveFields } from './sensitive-fields.js';
import { UPSTREAMS, type UpstreamModules } from './upstreams/registry.js';

/** `schema/` sits beside `src/` and `dist/` alike, so this resolves from both. */
export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');

/** The SDL files, in a stable order; `schema/*.graphql` is the source of truth. */
export function loadTypeDefs(dir = SCHEMA_DIR): DocumentNode {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  return parse(files.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n'));
}

const scalarResolvers: Resolvers = {
  DateTime: DateTimeResolver,
  SafeInt: SafeIntResolver,
  JSON: JSONResolver,
};

export interface SchemaOptions {
  /**
   * `keep` (default): sensitive fields carry @requiresScopes / @authenticated for a router
   * that enforces them (Apollo Router, Hive). `strip`: removed, for gateways that refuse
   * supergraphs with authorization features (@apollo/gateway); then nothing guards them.
   */
  authorizationDirectives?: 'keep' | 'strip';
  /** `deny` (default): sensitive fields only for router-authenticated requests (src/sensitive-fields.ts). */
  sensitiveFields?: SensitiveFieldsPolicy;
  /** The upstreams served (default: the registry's): their resolvers, and SDL any keeps outside schema/. */
  modules?: UpstreamModules;
}

const AUTHORIZATION_DIRECTIVES = new Set(['authenticated', 'requiresScopes', 'policy']);

/** The SDL without federation authorization directives (see SchemaOptions). */
export function withoutAuthorizationDirectives(document: DocumentNode): DocumentNode {
  return visit(document, {
    Directive: (node) => (AUTHORIZATION_DIRECTIVES.has(node.name.value) ? null : undefined),
  });
}

export function buildSchema(logger: Logger, options: SchemaOptions = {}): GraphQLSchema {
  const modules = options.modules ?? UPSTREAMS;
  const own = modules.flatMap((module) => (module.typeDefs ? [module.typeDefs] : []));
  const loaded = own.length === 0 ? loadTypeDefs() : concatAST([loadTypeDefs(), ...own]);
  const typeDefs = options.authorizationDirectives === 'strip' ? withoutAuthorizationDirectives(loaded) : loaded;
  const schema = buildSubgraphSchema([
    { typeDefs, resolvers: mergeResolvers([scalarResolvers, ...modules.map((module) => module.resolvers as Resolvers)]) },
  ]);
  tolerateUnknownEnumValues(schema, logger);
  // Every representation checked on its own before any lookup (see src/input/entities.ts).
  useStrictEntities(schema, Object.assign({}, ...modules.map((module) => module.entities)));
  // From the SDL as written: stripping the directives for a gateway keeps the guard.
  guardSensitiveFields(schema, loaded, options.sensitiveFields ?? 'deny');
  return schema;
}

/** Each upstream owns its resolver map; `Query` is the one type they all extend. */
function mergeResolvers(maps: readonly Resolvers[]): Resolvers {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [typeName, resolvers] of Object.entries(map)) {
      const existing = merged[typeName];
      if (existing === undefined || isScalar(resolvers)) merged[typeName] = resolvers;
      else merged[typeName] = { ...(existing as object), ...(resolvers as object) };
    }
  }
  return merged as Resolvers;
}

const isScalar = (value: unknown): boolean => value instanceof GraphQLScalarType;

/**
 * AWS adds enum values over time (CodeBuild gained `hostKernel` values within a year). graphql-js
 * fails a field whose value is not in its enum, so every enum-typed field answers null for a
 * value this schema does not know yet, and the value is logged once, instead of an error.
 */
function tolerateUnknownEnumValues(schema: GraphQLSchema, logger: Logger): void {
  const reported = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isEnumType(named)) continue;
      const known = knownValues(named);
      const resolve = field.resolve ?? defaultFieldResolver;
      const coordinate = `${type.name}.${field.name}`;
      const keep = (value: unknown) => {
        if (value === null || value === undefined || known.has(value)) return value;
        const report = `${coordinate}=${String(value)}`;
        if (!reported.has(report)) {
          reported.add(report);
          logger.warn({ field: coordinate, value }, 'upstream sent an enum value this schema does not know; answering null');
        }
        return null;
      };
      field.resolve = (source, args, context, info) => {
        const value = resolve(source, args, context, info);
        return Array.isArray(value) ? value.map(keep) : keep(value);
      };
    }
  }
}

function knownValues(type: GraphQLEnumType): Set<unknown> {
  return new Set(type.getValues().map((value) => value.value));
}

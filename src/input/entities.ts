/**
 * A strict `_entities`. The resolver @apollo/subgraph installs trusts every representation:
 * an unknown `__typename` throws after earlier items' lookups have started (their promises
 * are then orphaned and reject unhandled, which ends the process), a key of the wrong type
 * throws inside a loader and fails every neighbour in its batch, and a missing key is sent
 * upstream as "undefined". Here every representation is checked first, and on its own: a bad
 * one answers null with BAD_USER_INPUT at ["_entities", i] and costs no lookup; the others are
 * served through their type's `__resolveReference`, exactly as before.
 */
import {
  GraphQLList,
  GraphQLNonNull,
  isObjectType,
  isUnionType,
  Kind,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLScalarType,
  type GraphQLSchema,
} from 'graphql';
import { badUserInput, quote, type SubgraphError } from '../errors.js';

/** How a key field is coerced: `ID` takes a string or an integer (GraphQL's ID input rule), `String` a string. */
export type KeyFieldType = 'ID' | 'String';

export interface EntityKeySpec {
  /** The @key fields in @key order, with their GraphQL types. */
  fields: Readonly<Record<string, KeyFieldType>>;
  /** The key's shape (length, pattern, real region), once every field is present and typed. */
  problem(key: Readonly<Record<string, string>>): SubgraphError | undefined;
}

/** Every entity's key spec, by type name: each upstream module declares its own (`entities`). */
export type EntityKeySpecs = Readonly<Record<string, EntityKeySpec>>;

type Representation = { __typename: string } & Record<string, string>;

const entityList = (specs: EntityKeySpecs) => Object.keys(specs).join(', ');

/** The representation as a key of known type and shape, or the error that is its answer. */
export function checkRepresentation(value: unknown, specs: EntityKeySpecs): Representation | SubgraphError {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return badUserInput(
      `A representation must be a JSON object with __typename (one of ${entityList(specs)}) and that entity's key fields.`,
    );
  }
  const record = value as Record<string, unknown>;
  const typename = record.__typename;
  if (typeof typename !== 'string') {
    return badUserInput(`A representation needs __typename, a string naming one of ${entityList(specs)}.`);
  }
  const spec = Object.hasOwn(specs, typename) ? specs[typename] : undefined;
  if (!spec) return badUserInput(`__typename ${quote(typename)} is not an entity of this subgraph (one of ${entityList(specs)}).`);
  const key: Representation = { __typename: typename };
  for (const [field, type] of Object.entries(spec.fields)) {
    const raw = record[field];
    if (typeof raw === 'string') key[field] = raw;
    else if (type === 'ID' && typeof raw === 'number' && Number.isSafeInteger(raw)) key[field] = String(raw);
    else {
      const expected = type === 'ID' ? 'a string (or an integer)' : 'a string';
      const got =
        raw === undefined ? 'it is missing' : `got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`}`;
      return badUserInput(`A ${typename} representation needs key field ${field}, ${expected}; ${got}.`);
    }
  }
  return spec.problem(key) ?? key;
}

/**
 * Replaces the `_entities` resolver of a schema built by buildSubgraphSchema, and widens its
 * argument to `[_Any]!` so that a null representation, too, is one item's error instead of a
 * failed request (a router's `[_Any!]!` variable still fits the wider argument).
 */
export function useStrictEntities(schema: GraphQLSchema, specs: EntityKeySpecs): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const argument = field?.args.find((arg) => arg.name === 'representations');
  const any = schema.getType('_Any') as GraphQLScalarType | undefined;
  if (!field || !argument || !any)
    throw new Error('useStrictEntities: the schema has no _entities(representations:) field; build it with buildSubgraphSchema.');
  assertSpecsMatchSchema(schema, specs);
  (argument as { type: unknown }).type = new GraphQLNonNull(new GraphQLList(any));

  const resolve: GraphQLFieldResolver<unknown, unknown, { representations?: unknown }> = (_source, args, context, info) => {
    const representations = Array.isArray(args.representations) ? args.representations : [];
    // Every item is checked before any lookup starts: nothing can throw between two lookups.
    const checked = representations.map((value) => checkRepresentation(value, specs));
    return checked.map((key) => {
      if (key instanceof Error) return key;
      const type = schema.getType(key.__typename) as GraphQLObjectType;
      try {
        const hint = (info as { cacheControl?: CacheControl }).cacheControl;
        const typeHint = hint?.cacheHintFromType(type);
        if (typeHint) hint!.cacheHint.restrict(typeHint);
        const resolveReference = referenceResolverOf(type);
        const result = resolveReference ? resolveReference(key, context, info) : key;
        return Promise.resolve(result).then((entity) => withTypename(entity, type.name));
      } catch (error) {
        // A resolver bug stays this item's error: graphql-js answers null at its index.
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  };
  field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
}

type ReferenceResolver = (reference: object, context: unknown, info: unknown) => unknown;

/** Where buildSubgraphSchema keeps a type's `__resolveReference`. */
function referenceResolverOf(type: GraphQLObjectType): ReferenceResolver | undefined {
  return (type.extensions as { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } }).apollo?.subgraph?.resolveReference;
}

interface CacheControl {
  cacheHint: { restrict(hint: object): void };
  cacheHintFromType(type: GraphQLObjectType): object | undefined;
}

/** What @apollo/subgraph does too: `_Entity` resolves its member type from `__typename`. */
function withTypename(entity: unknown, typename: string): unknown {
  if (entity === null || typeof entity !== 'object') return entity;
  const current = (entity as { __typename?: unknown }).__typename;
  if (current === typename) return entity;
  if (current !== undefined) return { ...entity, __typename: typename };
  Object.defineProperty(entity, '__typename', { value: typename });
  return entity;
}

/** Each entity in `_Entity` has a spec whose fields are exactly its @key fields, and the reverse. */
function assertSpecsMatchSchema(schema: GraphQLSchema, specs: EntityKeySpecs): void {
  const union = schema.getType('_Entity');
  const entities = isUnionType(union) ? union.getTypes() : [];
  const names = entities.map((type) => type.name).sort();
  if (names.join() !== Object.keys(specs).sort().join()) {
    throw new Error(
      `The modules' entity keys (${Object.keys(specs).sort().join(', ')}) must list exactly the schema's entities (${names.join(', ')}).`,
    );
  }
  for (const type of entities) {
    const declared = keyFields(type);
    const specified = Object.keys(specs[type.name]!.fields).join(' ');
    if (declared !== specified) throw new Error(`The entity key of ${type.name} has fields "${specified}" but its @key is "${declared}".`);
  }
}

function keyFields(type: GraphQLObjectType): string | undefined {
  if (!isObjectType(type)) return undefined;
  for (const node of [type.astNode, ...type.extensionASTNodes]) {
    for (const directive of node?.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((arg) => arg.name.value === 'fields')?.value;
      if (fields?.kind === Kind.STRING) return fields.value.trim().split(/\s+/).join(' ');
    }
  }
  return undefined;
}

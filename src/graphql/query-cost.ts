/**
 * The cost of an operation, computed before it executes, from the demand-control directives
 * the SDL carries (`@cost(weight:)`, `@listSize(...)`, https://specs.apollo.dev/cost/v0.1, the
 * IBM GraphQL Cost Directives spec), with graphql-query-complexity doing the walk (aliases,
 * fragments, inline fragments, @skip/@include).
 *
 * Why this model: what one request costs this subgraph is what it parses from the upstreams,
 * builds and serializes, which grows with the number of keys times the fields selected under
 * them. So, unlike the spec's default (leaves 0), every field weighs 1 unless `@cost` says
 * otherwise, and a list multiplies its element's cost by its size:
 *
 *   cost(field)      = size × (weight + cost of its selection)     size = 1 unless a list
 *   size of a list   = the length of its key-list argument (`ids`, `identifiers`, `findingArns`:
 *                      these fields answer one entry per key), else an Int slicing argument's
 *                      value, else `@listSize(assumedSize:)`, else DEFAULT_LIST_SIZE
 *   _entities        = Σ over the representations' types: count × (1 + cost of the selection
 *                      for that type)
 *
 * Introspection costs nothing: its size is bounded by the schema, not by upstream data.
 */
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  getOperationAST,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { MAX_FIRST } from '../discovery/connection.js';
import { ErrorCode } from '../errors.js';

/** A nested list the SDL gives no size for (phases, environment variables, …) is assumed this long. */
export const DEFAULT_LIST_SIZE = 5;
/** A field or type without `@cost`. */
export const DEFAULT_WEIGHT = 1;
/**
 * Selections the walk may visit (a fragment spread is visited once per use): bounds the work of
 * costing a query built to be expensive to cost. Every query in the repository stays far below.
 */
export const MAX_COSTED_NODES = 10_000;

interface CostContext {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** Set while costing one type's share of an `_entities` selection. */
  entityType?: string;
  /** What each list field cost, per item and in all, for a connection above it to resize (see sizedFieldsCost). */
  lists: WeakMap<FieldNode, { perItem: number; total: number }>;
}

/** The estimated cost of the operation; throws a GraphQLError when it cannot be costed. */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string,
): number {
  const context: CostContext = { schema, document, operationName, variables, lists: new WeakMap() };
  return getComplexity({
    schema,
    query: document,
    variables,
    operationName,
    estimators: [demandControlEstimator],
    context,
    maxQueryNodes: MAX_COSTED_NODES,
  });
}

const demandControlEstimator: ComplexityEstimator = (options: ComplexityEstimatorArgs) => {
  const { field, type, args, childComplexity } = options;
  const context = options.context as CostContext;
  if (field.name.startsWith('__') || type.name.startsWith('__')) return 0;
  if (type === context.schema.getQueryType() && field.name === '_entities') return entitiesCost(options, context);
  const weight = weightOf(field);
  if (!isListType(getNullableType(field.type))) return weight + childComplexity + sizedFieldsCost(options, context);
  const total = listSize(field, args) * (weight + childComplexity);
  context.lists.set(options.node, { perItem: weight + childComplexity, total });
  return total;
};

/**
 * A connection (`@listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"])`):
 * its `edges` and `nodes` are as long as `first` (its default when not given), not their own
 * assumed size. graphql-query-complexity costs children first, so each list child's cost was
 * recorded; here it is replaced by `first` × its cost per item.
 */
function sizedFieldsCost({ field, args, node }: ComplexityEstimatorArgs, context: CostContext): number {
  const listSizeArguments = directiveArguments(field.astNode?.directives, 'listSize');
  const sizedFields = Array.isArray(listSizeArguments.sizedFields) ? listSizeArguments.sizedFields.map(String) : [];
  if (sizedFields.length === 0 || node.selectionSet === undefined) return 0;
  // `first` alone: a connection's other list arguments (filters) are not its length.
  const slicing = Array.isArray(listSizeArguments.slicingArguments) ? listSizeArguments.slicingArguments : [];
  const sliced = slicing.map((name) => args[String(name)]).filter((value): value is number => typeof value === 'number' && value >= 0);
  const assumed = typeof listSizeArguments.assumedSize === 'number' ? listSizeArguments.assumedSize : DEFAULT_LIST_SIZE;
  // A `first` over MAX_FIRST is refused at its field (BAD_USER_INPUT) before any call, so it is
  // costed as the most a page can be: the field answers its own clear error, not the whole request.
  const size = Math.min(MAX_FIRST, sliced.length > 0 ? Math.max(...sliced) : assumed);
  let correction = 0;
  for (const child of childFields(node.selectionSet.selections, context.document)) {
    const recorded = sizedFields.includes(child.name.value) ? context.lists.get(child) : undefined;
    if (recorded) correction += size * recorded.perItem - recorded.total;
  }
  return correction;
}

/** The fields a selection set selects, through inline fragments and fragment spreads (each fragment once). */
function childFields(selections: readonly SelectionNode[], document: DocumentNode, seen = new Set<string>()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...childFields(selection.selectionSet.selections, document, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition): definition is FragmentDefinitionNode =>
          definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
      );
      if (fragment) fields.push(...childFields(fragment.selectionSet.selections, document, seen));
    }
  }
  return fields;
}

function weightOf(field: GraphQLField<unknown, unknown>): number {
  return costDirective(field.astNode?.directives) ?? typeWeight(getNamedType(field.type)) ?? DEFAULT_WEIGHT;
}

function typeWeight(type: GraphQLNamedType): number | undefined {
  for (const node of [type.astNode, ...(type.extensionASTNodes ?? [])]) {
    const weight = costDirective(node?.directives);
    if (weight !== undefined) return weight;
  }
  return undefined;
}

function costDirective(directives: readonly ConstDirectiveNode[] | undefined): number | undefined {
  const weight = directiveArguments(directives, 'cost').weight;
  return typeof weight === 'number' && Number.isFinite(weight) && weight >= 0 ? weight : undefined;
}

function directiveArguments(directives: readonly ConstDirectiveNode[] | undefined, name: string): Record<string, unknown> {
  const directive = directives?.find((node) => node.name.value === name);
  return Object.fromEntries((directive?.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
}

function listSize(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  // The key lists: every list root field here answers one entry per key, in input order.
  let keys: number | undefined;
  for (const argument of field.args) {
    const value = args[argument.name];
    if (isListType(getNullableType(argument.type)) && Array.isArray(value)) keys = (keys ?? 0) + value.length;
  }
  if (keys !== undefined) return keys;
  const listSizeArguments = directiveArguments(field.astNode?.directives, 'listSize');
  const slicing = Array.isArray(listSizeArguments.slicingArguments) ? listSizeArguments.slicingArguments : [];
  const sliced = slicing.map((name) => args[String(name)]).filter((value): value is number => typeof value === 'number' && value >= 0);
  if (sliced.length > 0) return Math.max(...sliced);
  const assumed = listSizeArguments.assumedSize;
  return typeof assumed === 'number' && assumed >= 0 ? assumed : DEFAULT_LIST_SIZE;
}

/**
 * The router's entity fetch: each representation costs its own type's selection, so 250 builds
 * and 8 scans in one fetch are not costed as 258 of the dearest. A representation without a
 * known entity type is costed as the dearest type (it fails at execution anyway).
 */
function entitiesCost({ args, node, childComplexity }: ComplexityEstimatorArgs, context: CostContext): number {
  if (context.entityType !== undefined) return childComplexity;
  const representations: unknown[] = Array.isArray(args.representations) ? args.representations : [];
  const byType = new Map<string, number>();
  for (const representation of representations) {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    const known = typeof typename === 'string' && isObjectType(context.schema.getType(typename)) ? typename : '';
    byType.set(known, (byType.get(known) ?? 0) + 1);
  }
  let total = 0;
  for (const [typename, count] of byType) {
    const perEntity = typename === '' ? childComplexity : entityShare(context, typename, node.selectionSet?.selections ?? []);
    total += count * (DEFAULT_WEIGHT + perEntity);
  }
  return total;
}

/** The cost of one entity of `typename` under an `_entities` selection: the selection kept to that type, costed alone. */
function entityShare(context: CostContext, typename: string, selections: readonly SelectionNode[]): number {
  const { schema, document } = context;
  const fragments = document.definitions.filter(
    (definition): definition is FragmentDefinitionNode => definition.kind === 'FragmentDefinition',
  );
  const applies = (condition: string | undefined) => {
    if (condition === undefined || condition === typename) return true;
    const type = schema.getType(condition);
    return type !== undefined && isAbstractType(type) && schema.getPossibleTypes(type).some((possible) => possible.name === typename);
  };
  const kept = selections.filter((selection) => {
    if (selection.kind === 'Field') return true;
    if (selection.kind === 'InlineFragment') return applies(selection.typeCondition?.name.value);
    return applies(fragments.find((fragment) => fragment.name.value === selection.name.value)?.typeCondition.name.value ?? typename);
  });
  const operation = getOperationAST(document, context.operationName);
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const entities: FieldNode = {
    kind: Kind.FIELD,
    name: name('_entities'),
    arguments: [{ kind: Kind.ARGUMENT, name: name('representations'), value: { kind: Kind.LIST, values: [] } }],
    selectionSet: { kind: Kind.SELECTION_SET, selections: kept },
  };
  const query: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      // The operation's variable definitions come along: @skip/@include under it may use them.
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        variableDefinitions: operation?.variableDefinitions ?? [],
        selectionSet: { kind: Kind.SELECTION_SET, selections: [entities] },
      },
      ...fragments,
    ],
  };
  return getComplexity({
    schema,
    query,
    variables: context.variables,
    estimators: [demandControlEstimator],
    context: { ...context, entityType: typename, lists: new WeakMap() },
    maxQueryNodes: MAX_COSTED_NODES,
  });
}

/** What a client sees when an operation is over the limit (HTTP 400, BAD_USER_INPUT). */
export function overCostError(cost: number, limit: number): GraphQLError {
  return new GraphQLError(
    `This operation's estimated cost is ${cost}, over the limit of ${limit} (MAX_QUERY_COST). ` +
      'Cost is keys × the fields selected under them: ask for fewer keys or fewer fields, or split the operation.',
    { extensions: { code: ErrorCode.BAD_USER_INPUT, cost, maxCost: limit, http: { status: 400 } } },
  );
}

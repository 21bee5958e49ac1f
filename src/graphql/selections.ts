import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

/** How to walk a selection set down to its fields. */
export interface SelectionWalk {
  /** The document's fragment definitions, by name. */
  fragment(name: string): FragmentDefinitionNode | undefined;
  /**
   * Whether the fields of a fragment with this type condition belong to the walk (`undefined`:
   * an inline fragment without one). Absent: every fragment's do.
   */
  entersType?(typeCondition: string | undefined): boolean;
  /**
   * Given, @skip and @include are honoured with these (coerced) variable values: what they leave
   * out is not walked. Absent, every selection is walked, whatever its directives say.
   */
  variables?: Record<string, unknown>;
}

/**
 * The fields a selection set selects at its own level, through inline fragments and named
 * fragments (each named fragment entered once per walk: a cycle, or a spread used twice, is not
 * walked again). Lazy, so a caller that stops at the first match does no more work.
 */
export function* fieldsOf(
  selectionSet: SelectionSetNode | undefined,
  walk: SelectionWalk,
  seen: Set<string> = new Set(),
): Generator<FieldNode> {
  for (const selection of selectionSet?.selections ?? []) {
    if (walk.variables !== undefined && !included(selection, walk.variables)) continue;
    if (selection.kind === Kind.FIELD) {
      yield selection;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (enters(walk, selection.typeCondition?.name.value)) yield* fieldsOf(selection.selectionSet, walk, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = walk.fragment(selection.name.value);
      if (fragment !== undefined && enters(walk, fragment.typeCondition.name.value)) yield* fieldsOf(fragment.selectionSet, walk, seen);
    }
  }
}

/**
 * Whether the query selects `fieldName` on `onType` under the field being resolved: in its own
 * selection set, through inline fragments without a type condition or on `onType`, or through
 * named fragments on `onType`, honouring @skip and @include. For a resolver that makes a
 * heavier upstream call only when that field's data is asked for.
 */
export function selectsField(info: GraphQLResolveInfo, fieldName: string, onType: string): boolean {
  const walk: SelectionWalk = {
    fragment: (name) => info.fragments[name],
    entersType: (typeCondition) => typeCondition === undefined || typeCondition === onType,
    variables: info.variableValues,
  };
  return info.fieldNodes.some((node) => {
    for (const field of fieldsOf(node.selectionSet, walk)) if (field.name.value === fieldName) return true;
    return false;
  });
}

function enters(walk: SelectionWalk, typeCondition: string | undefined): boolean {
  return walk.entersType?.(typeCondition) ?? true;
}

function included(node: FieldNode | InlineFragmentNode | FragmentSpreadNode, variables: Record<string, unknown>): boolean {
  return (
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false
  );
}

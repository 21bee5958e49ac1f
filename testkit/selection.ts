import { getNamedType, isObjectType, isLeafType, buildASTSchema, type GraphQLSchema } from 'graphql';
import { loadTypeDefs } from '../src/schema.js';

let cached: GraphQLSchema | undefined;
function schema(): GraphQLSchema {
  if (!cached) {
    const typeDefs = loadTypeDefs();
    cached = buildASTSchema(
      { ...typeDefs, definitions: typeDefs.definitions.filter((d) => d.kind !== 'SchemaExtension') },
      { assumeValidSDL: true },
    );
  }
  return cached;
}

/**
 * A selection set with every field of a type, recursively, built from schema/*.graphql: a test
 * that compares it with the emulator's record covers every field the schema serves, including
 * fields added later.
 */
export function selectAll(typeName: string, seen: readonly string[] = []): string {
  const type = schema().getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.length > 0) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && !seen.includes(named.name)) parts.push(`${field.name} ${selectAll(named.name, [...seen, typeName])}`);
  }
  return `{ ${parts.join(' ')} }`;
}

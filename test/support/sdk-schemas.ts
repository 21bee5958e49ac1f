/**
 * Reads the static schemas an installed client carries (`dist-es/schemas/schemas_0.js`, exported
 * from the package index, e.g. `Build$`), so coverage follows the installed SDK: an upgrade
 * that adds a member changes what these functions return.
 *
 * Encoding (@smithy/types static-schemas): [3 structure | 4 union | 1 list | 2 map | 0 simple,
 * namespace, name, traits, …]; a structure continues with member names and member schemas; a
 * member schema is a number (0 string, enums too; 1 number; 2 boolean; 4–7 timestamp; 15
 * document; 21 blob; 64|x a list of x; 128|x a map of x), a schema array, or a thunk of one.
 */
import type { StaticStructureSchema } from '@smithy/types';

/** Member name → kind (`string`, `number`, `list<…>`, a structure's name, …), by structure name. */
export type StructureKinds = Map<string, Record<string, string>>;

const LIST = 0b0100_0000;
const MAP = 0b1000_0000;

function simpleKind(id: number): string {
  if (id & LIST) return `list<${simpleKind(id & ~LIST)}>`;
  if (id & MAP) return `map<${simpleKind(id & ~MAP)}>`;
  switch (id) {
    case 0:
      return 'string';
    case 1:
    case 17: // BigInteger
    case 19: // BigDecimal
      return 'number';
    case 2:
      return 'boolean';
    case 4:
    case 5:
    case 6:
    case 7:
      return 'timestamp';
    case 15:
      return 'document';
    case 21:
    case 42: // streaming blob
      return 'blob';
    default:
      return `unknown simple schema ${id}`;
  }
}

const deref = (schema: unknown): unknown => (typeof schema === 'function' ? deref((schema as () => unknown)()) : schema);

/** Every structure (and union) reachable from a root structure schema, with its members' kinds. */
export function sdkClosure(root: StaticStructureSchema): StructureKinds {
  const structures: StructureKinds = new Map();
  const kind = (schema: unknown): string => {
    const found = deref(schema);
    if (typeof found === 'number') return simpleKind(found);
    const [type, , name, , first, second] = found as [number, string, string, unknown, unknown, unknown];
    switch (type) {
      case 0:
        return kind(first);
      case 1:
        return `list<${kind(first)}>`;
      case 2:
        return `map<${kind(second)}>`;
      case 3:
      case 4:
        visit(found as StaticStructureSchema);
        return name;
      default:
        return `unknown schema ${type} ${name}`;
    }
  };
  const visit = (schema: StaticStructureSchema) => {
    const [, , name, , members, targets] = schema;
    if (structures.has(name)) return;
    const kinds: Record<string, string> = {};
    structures.set(name, kinds);
    members.forEach((member, index) => (kinds[member] = kind(targets[index])));
  };
  visit(root);
  return structures;
}

/** The values of an enum the package exports as an object (`export const StatusType = {…}`). */
export function sdkEnumValues(sdk: Record<string, unknown>, name: string): string[] | undefined {
  const found = sdk[name];
  if (typeof found !== 'object' || found === null || Array.isArray(found)) return undefined;
  return Object.values(found as Record<string, unknown>).filter((value): value is string => typeof value === 'string');
}

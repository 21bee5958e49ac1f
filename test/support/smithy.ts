import { readFileSync } from 'node:fs';
import type { ModelSnapshot, SnapshotMember, SnapshotShape } from '../fixtures/aws-models/format.js';
import type { StructureKinds } from './sdk-schemas.js';

/**
 * The official AWS models' facts about the shapes the subgraph serves, from the committed
 * snapshots (test/fixtures/aws-models, derived by scripts/snapshot-aws-models.ts): what the
 * schema and the emulator are held to, with nothing read from outside the repository.
 */
export type AwsService = 'codebuild' | 'codeguru-security' | 'inspector2';

const PRELUDE = 'smithy.api#';

export class SmithyModel {
  readonly snapshot: ModelSnapshot;

  /** `snapshot` names the file when a service has several roots (`inspector2-finding`: ListFindings' Finding). */
  constructor(
    readonly service: AwsService,
    snapshot: string = service,
  ) {
    const file = new URL(`../fixtures/aws-models/${snapshot}.json`, import.meta.url);
    this.snapshot = JSON.parse(readFileSync(file, 'utf8')) as ModelSnapshot;
  }

  get root(): string {
    return this.snapshot.root;
  }

  private shape(target: string): SnapshotShape | undefined {
    return this.snapshot.shapes[target];
  }

  /** Structures and enums reachable from the root, by shape name. */
  closure(): { structures: Map<string, Record<string, SnapshotMember>>; enums: Map<string, string[]> } {
    const structures = new Map<string, Record<string, SnapshotMember>>();
    const enums = new Map<string, string[]>();
    for (const [name, shape] of Object.entries(this.snapshot.shapes)) {
      if (shape.type === 'structure' || shape.type === 'union') structures.set(name, shape.members);
      if (shape.type === 'enum') enums.set(name, shape.values);
    }
    return { structures, enums };
  }

  /** Each structure's members with their kinds, in the vocabulary of ./sdk-schemas.ts. */
  structureKinds(): StructureKinds {
    const kinds: StructureKinds = new Map();
    for (const [name, members] of this.closure().structures) {
      kinds.set(name, Object.fromEntries(Object.entries(members).map(([member, { target }]) => [member, this.kind(target)])));
    }
    return kinds;
  }

  private kind(target: string): string {
    const shape = this.shape(target);
    if (!shape) return primitiveKind(target);
    switch (shape.type) {
      case 'structure':
      case 'union':
        return target;
      case 'list':
        return `list<${this.kind(shape.member)}>`;
      case 'map':
        return `map<${this.kind(shape.value)}>`;
      case 'enum':
      case 'string':
        return 'string';
      case 'boolean':
      case 'timestamp':
      case 'blob':
      case 'document':
        return shape.type;
      default:
        return 'number';
    }
  }

  /**
   * Checks a wire JSON value (as the emulator sends it) against a shape: member names, JSON
   * types, required members, enum values, list lengths, string lengths and patterns, ranges.
   * Returns the problems found, each with a path.
   */
  validate(target: string, value: unknown, path = '$'): string[] {
    const shape = this.shape(target);
    if (!shape) return target.startsWith(PRELUDE) ? primitive(preludeType(target), value, path) : [`${path}: unknown shape ${target}`];
    const problems: string[] = [];
    switch (shape.type) {
      case 'structure':
      case 'union': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected object`];
        for (const [key, member] of Object.entries(shape.members)) {
          const present = (value as Record<string, unknown>)[key];
          if (present === undefined || present === null) {
            if (member.required) problems.push(`${path}.${key}: required member missing`);
            continue;
          }
          problems.push(...this.validate(member.target, present, `${path}.${key}`));
        }
        for (const key of Object.keys(value)) if (!(key in shape.members)) problems.push(`${path}.${key}: not a member of ${target}`);
        if (shape.type === 'union' && Object.keys(value).length !== 1) problems.push(`${path}: a union sets exactly one member`);
        return problems;
      }
      case 'list': {
        if (!Array.isArray(value)) return [`${path}: expected array`];
        problems.push(...lengthProblems(path, value.length, shape.length, 'items'));
        value.forEach((item, index) => problems.push(...this.validate(shape.member, item, `${path}[${index}]`)));
        return problems;
      }
      case 'map': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected object`];
        const entries = Object.entries(value);
        problems.push(...lengthProblems(path, entries.length, shape.length, 'entries'));
        for (const [key, item] of entries)
          problems.push(...this.validate(shape.key, key, `${path}{key}`), ...this.validate(shape.value, item, `${path}.${key}`));
        return problems;
      }
      case 'enum':
      case 'intEnum':
        return (shape.values as unknown[]).includes(value) ? [] : [`${path}: ${JSON.stringify(value)} is not a ${target} value`];
      case 'string': {
        if (typeof value !== 'string') return [`${path}: expected string`];
        problems.push(...lengthProblems(path, value.length, shape.length, 'characters'));
        if (shape.pattern !== undefined && !new RegExp(shape.pattern).test(value))
          problems.push(`${path}: does not match ${shape.pattern}`);
        return problems;
      }
      case 'boolean':
      case 'timestamp':
      case 'blob':
      case 'document':
        return primitive(shape.type, value, path);
      default: {
        problems.push(...primitive(shape.type, value, path));
        const range = shape.range;
        if (typeof value === 'number' && range?.min !== undefined && value < range.min) problems.push(`${path}: below ${range.min}`);
        if (typeof value === 'number' && range?.max !== undefined && value > range.max) problems.push(`${path}: above ${range.max}`);
        return problems;
      }
    }
  }

  /** Every `Structure.member` of the root's closure that is present in at least one of the values. */
  membersPresent(values: readonly unknown[]): Set<string> {
    const seen = new Set<string>();
    const walk = (target: string, value: unknown) => {
      const shape = this.shape(target);
      if (value === undefined || value === null || !shape) return;
      if (shape.type === 'list' && Array.isArray(value)) value.forEach((item) => walk(shape.member, item));
      if (shape.type === 'map' && typeof value === 'object') Object.values(value).forEach((item) => walk(shape.value, item));
      if ((shape.type !== 'structure' && shape.type !== 'union') || typeof value !== 'object') return;
      for (const [key, member] of Object.entries(shape.members)) {
        const present = (value as Record<string, unknown>)[key];
        if (present === undefined || present === null) continue;
        seen.add(`${target}.${key}`);
        walk(member.target, present);
      }
    };
    for (const value of values) walk(this.root, value);
    return seen;
  }
}

function lengthProblems(path: string, length: number, bounds: { min?: number; max?: number } | undefined, unit: string): string[] {
  const problems: string[] = [];
  if (bounds?.min !== undefined && length < bounds.min) problems.push(`${path}: fewer than ${bounds.min} ${unit}`);
  if (bounds?.max !== undefined && length > bounds.max) problems.push(`${path}: more than ${bounds.max} ${unit}`);
  return problems;
}

/** `smithy.api#PrimitiveInteger` → `integer`: the shape type a prelude target stands for. */
const preludeType = (target: string) =>
  target
    .slice(PRELUDE.length)
    .toLowerCase()
    .replace(/^primitive/, '');

/** A Smithy prelude target (`smithy.api#Integer`) in the vocabulary of ./sdk-schemas.ts. */
function primitiveKind(target: string): string {
  const type = preludeType(target);
  if (['string', 'boolean', 'timestamp', 'blob', 'document'].includes(type)) return type;
  return ['integer', 'long', 'short', 'byte', 'float', 'double', 'biginteger', 'bigdecimal'].includes(type)
    ? 'number'
    : `unknown ${target}`;
}

function primitive(type: string, value: unknown, path: string): string[] {
  switch (type) {
    case 'string':
    case 'blob':
      return typeof value === 'string' ? [] : [`${path}: expected string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected boolean`];
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
      return Number.isInteger(value) ? [] : [`${path}: expected integer`];
    case 'double':
    case 'float':
    case 'biginteger':
    case 'bigdecimal':
    case 'bigInteger':
    case 'bigDecimal':
      return typeof value === 'number' ? [] : [`${path}: expected number`];
    case 'timestamp':
      // Epoch seconds, possibly fractional: the default for both JSON protocols.
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: expected epoch-seconds number`];
    case 'document':
      return [];
    default:
      return [`${path}: unhandled shape type ${type}`];
  }
}

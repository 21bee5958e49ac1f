import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads the official AWS models from shared/reference (beside the repository, as in CI) so
 * that tests hold the schema and the emulator to what AWS publishes, not to our memory of it.
 */
const REFERENCE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'reference', 'aws-models');

const SMITHY_FILES = {
  codebuild: 'api-models-aws/models/codebuild/service/2016-10-06/codebuild-2016-10-06.json',
  'codeguru-security': 'api-models-aws/models/codeguru-security/service/2018-05-10/codeguru-security-2018-05-10.json',
  inspector2: 'api-models-aws/models/inspector2/service/2020-06-08/inspector2-2020-06-08.json',
} as const;
const BOTOCORE_FILES = {
  codebuild: 'botocore/data/codebuild/2016-10-06/service-2.json',
  'codeguru-security': 'botocore/data/codeguru-security/2018-05-10/service-2.json',
  inspector2: 'botocore/data/inspector2/2020-06-08/service-2.json',
} as const;
export type AwsService = keyof typeof SMITHY_FILES;

interface SmithyMember {
  target: string;
  traits?: Record<string, unknown>;
}
interface SmithyShape {
  type: string;
  members?: Record<string, SmithyMember>;
  member?: SmithyMember;
  traits?: Record<string, unknown>;
}

export class SmithyModel {
  readonly shapes: Record<string, SmithyShape>;
  readonly namespace: string;

  constructor(readonly service: AwsService) {
    const file = join(REFERENCE, SMITHY_FILES[service]);
    this.shapes = (JSON.parse(readFileSync(file, 'utf8')) as { shapes: Record<string, SmithyShape> }).shapes;
    const serviceShape = Object.entries(this.shapes).find(([, shape]) => shape.type === 'service');
    this.namespace = serviceShape![0].split('#')[0]!;
  }

  id(name: string): string {
    return name.includes('#') ? name : `${this.namespace}#${name}`;
  }

  shape(name: string): SmithyShape {
    const shape = this.shapes[this.id(name)];
    if (!shape) throw new Error(`${this.service}: no shape ${name}`);
    return shape;
  }

  /** Structures and enums reachable from a root structure, by shape name. */
  closure(root: string): { structures: Map<string, Record<string, SmithyMember>>; enums: Map<string, string[]> } {
    const structures = new Map<string, Record<string, SmithyMember>>();
    const enums = new Map<string, string[]>();
    const visit = (target: string) => {
      if (target.startsWith('smithy.api#')) return;
      const shape = this.shapes[target]!;
      const name = target.split('#')[1]!;
      if (shape.type === 'structure' && !structures.has(name)) {
        structures.set(name, shape.members ?? {});
        for (const member of Object.values(shape.members ?? {})) visit(member.target);
      } else if (shape.type === 'list') {
        visit(shape.member!.target);
      } else if (shape.type === 'enum' && !enums.has(name)) {
        enums.set(name, Object.values(shape.members ?? {}).map((m) => m.traits!['smithy.api#enumValue'] as string));
      }
    };
    visit(this.id(root));
    return { structures, enums };
  }

  /**
   * Checks a wire JSON value (as the emulator sends it) against a shape: member names, JSON
   * types, required members, enum values, list lengths, string lengths and patterns.
   * Returns the problems found, each with a path.
   */
  validate(target: string, value: unknown, path = '$'): string[] {
    if (target.startsWith('smithy.api#')) return primitive(target.split('#')[1]!.toLowerCase(), value, path);
    const shape = this.shapes[this.id(target)];
    if (!shape) return [`${path}: unknown shape ${target}`];
    const traits = shape.traits ?? {};
    const problems: string[] = [];
    switch (shape.type) {
      case 'structure': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected object`];
        const members = shape.members ?? {};
        for (const [key, member] of Object.entries(members)) {
          const present = (value as Record<string, unknown>)[key];
          if (present === undefined || present === null) {
            if (member.traits?.['smithy.api#required'] !== undefined) problems.push(`${path}.${key}: required member missing`);
            continue;
          }
          problems.push(...this.validate(member.target, present, `${path}.${key}`));
        }
        const newer = botocoreMembers(this.service, this.id(target).split('#')[1]!);
        for (const key of Object.keys(value)) {
          // botocore can be newer than the Smithy model (CodeBuild's hostKernel): accept its members too.
          if (!(key in members) && !newer.includes(key)) problems.push(`${path}.${key}: not a member of ${target}`);
        }
        return problems;
      }
      case 'list': {
        if (!Array.isArray(value)) return [`${path}: expected array`];
        const length = traits['smithy.api#length'] as { min?: number; max?: number } | undefined;
        if (length?.min !== undefined && value.length < length.min) problems.push(`${path}: fewer than ${length.min} items`);
        if (length?.max !== undefined && value.length > length.max) problems.push(`${path}: more than ${length.max} items`);
        value.forEach((item, index) => problems.push(...this.validate(shape.member!.target, item, `${path}[${index}]`)));
        return problems;
      }
      case 'enum': {
        const allowed = Object.values(shape.members ?? {}).map((m) => m.traits!['smithy.api#enumValue']);
        return allowed.includes(value) ? [] : [`${path}: ${JSON.stringify(value)} is not a ${target} value`];
      }
      case 'string': {
        if (typeof value !== 'string') return [`${path}: expected string`];
        const length = traits['smithy.api#length'] as { min?: number; max?: number } | undefined;
        if (length?.min !== undefined && value.length < length.min) problems.push(`${path}: shorter than ${length.min}`);
        if (length?.max !== undefined && value.length > length.max) problems.push(`${path}: longer than ${length.max}`);
        const pattern = traits['smithy.api#pattern'] as string | undefined;
        if (pattern && !new RegExp(pattern).test(value)) problems.push(`${path}: does not match ${pattern}`);
        const enumTrait = traits['smithy.api#enum'] as Array<{ value: string }> | undefined;
        if (enumTrait && !enumTrait.some((entry) => entry.value === value)) problems.push(`${path}: ${value} not in enum`);
        return problems;
      }
      default: {
        problems.push(...primitive(shape.type, value, path));
        const range = traits['smithy.api#range'] as { min?: number; max?: number } | undefined;
        if (typeof value === 'number' && range?.min !== undefined && value < range.min) problems.push(`${path}: below ${range.min}`);
        if (typeof value === 'number' && range?.max !== undefined && value > range.max) problems.push(`${path}: above ${range.max}`);
        return problems;
      }
    }
  }

  /** Every `Structure.member` of the root's closure that is present in at least one of the values. */
  membersPresent(root: string, values: readonly unknown[]): Set<string> {
    const seen = new Set<string>();
    const walk = (target: string, value: unknown) => {
      if (value === undefined || value === null || target.startsWith('smithy.api#')) return;
      const shape = this.shapes[this.id(target)]!;
      if (shape.type === 'list' && Array.isArray(value)) value.forEach((item) => walk(shape.member!.target, item));
      if (shape.type !== 'structure' || typeof value !== 'object') return;
      const name = this.id(target).split('#')[1]!;
      for (const [key, member] of Object.entries(shape.members ?? {})) {
        const present = (value as Record<string, unknown>)[key];
        if (present === undefined || present === null) continue;
        seen.add(`${name}.${key}`);
        walk(member.target, present);
      }
    };
    for (const value of values) walk(root, value);
    return seen;
  }
}

function primitive(type: string, value: unknown, path: string): string[] {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: expected string`];
    case 'boolean':
    case 'primitiveboolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected boolean`];
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
      return Number.isInteger(value) ? [] : [`${path}: expected integer`];
    case 'double':
    case 'float':
      return typeof value === 'number' ? [] : [`${path}: expected number`];
    case 'timestamp':
      // Epoch seconds, possibly fractional: the default for both JSON protocols.
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: expected epoch-seconds number`];
    default:
      return [`${path}: unhandled shape type ${type}`];
  }
}

/** Members a botocore model has for a structure (botocore can be newer than the Smithy model). */
type BotocoreShapes = Record<string, { members?: Record<string, unknown> }>;
const botocore = new Map<AwsService, BotocoreShapes>();

export function botocoreMembers(service: AwsService, structure: string): string[] {
  let shapes = botocore.get(service);
  if (!shapes) {
    shapes = (JSON.parse(readFileSync(join(REFERENCE, BOTOCORE_FILES[service]), 'utf8')) as { shapes: BotocoreShapes }).shapes;
    botocore.set(service, shapes);
  }
  return Object.keys(shapes[structure]?.members ?? {});
}

/**
 * Derives the committed model snapshots (test/fixtures/aws-models/<service>.json) from the
 * official AWS models: for every shape reachable from the root structure the subgraph serves,
 * its members and targets, enum values and constraints. A developer runs it when a model
 * changes (the coverage test says when); tests and CI never do, and read only the snapshots.
 *
 *   tsx scripts/snapshot-aws-models.ts <models-dir> --api-models-aws=<owner/repo@commit> --botocore=<owner/repo@commit>
 *
 * <models-dir> holds `api-models-aws/` (a checkout of github.com/aws/api-models-aws, the primary
 * Smithy models: `api-models-aws/models/<service>/…`) and `botocore/` (the `botocore` package
 * directory of github.com/boto/botocore: `botocore/data/<service>/…`), whose models can be newer:
 * members only botocore has are merged in, marked, as the installed SDK carries them. The two
 * flags name the commits read, for the snapshot's header.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Length, ModelSnapshot, SnapshotMember, SnapshotShape, SnapshotSource } from '../test/fixtures/aws-models/format.js';

const SERVICES = [
  { name: 'codebuild', version: '2016-10-06', root: 'Build' },
  { name: 'codeguru-security', version: '2018-05-10', root: 'Finding' },
  { name: 'inspector2', version: '2020-06-08', root: 'FindingDetail' },
  // ListFindings' Finding (served as InspectorFinding): a second root of the same model, in a file of its own.
  { name: 'inspector2', version: '2020-06-08', root: 'Finding', file: 'inspector2-finding' },
] as const;
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'aws-models');
const PRELUDE = 'smithy.api#';

interface SmithyMember {
  target: string;
  traits?: Record<string, unknown>;
}
interface SmithyShape {
  type: string;
  members?: Record<string, SmithyMember>;
  member?: SmithyMember;
  key?: SmithyMember;
  value?: SmithyMember;
  traits?: Record<string, unknown>;
}
interface BotocoreShape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
}

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: tsx scripts/snapshot-aws-models.ts <models-dir> --api-models-aws=<owner/repo@commit> --botocore=<owner/repo@commit>`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { dir: string; smithyAt: string; botocoreAt: string } {
  const flags = new Map(argv.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=', 2) as [string, string]));
  const [dir, ...extra] = argv.filter((arg) => !arg.startsWith('--'));
  const at = (flag: string) => {
    const value = flags.get(flag);
    if (!value || !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(value))
      usage(`--${flag}=<owner/repo@commit> is required (a full 40-digit commit)`);
    return value;
  };
  if (!dir || extra.length > 0) usage('one <models-dir> is required');
  return { dir: resolve(dir), smithyAt: at('api-models-aws'), botocoreAt: at('botocore') };
}

/** Reads `<dir>/<path>`; `path` is the file's path in the `model` repository. */
function source(dir: string, model: string, at: string, path: string): { json: unknown; source: SnapshotSource } {
  const bytes = readFileSync(join(dir, path));
  const gitBlob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  return { json: JSON.parse(bytes.toString('utf8')), source: { model, at, path, gitBlob } };
}

const lengthOf = (trait: unknown): Length | undefined => {
  const { min, max } = (trait ?? {}) as Length;
  return trait === undefined ? undefined : { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
};

/** One Smithy shape as the snapshot holds it, and the targets it leads to. */
function fromSmithy(shape: SmithyShape, local: (target: string) => string): { shape: SnapshotShape; next: string[] } {
  const traits = shape.traits ?? {};
  const length = lengthOf(traits['smithy.api#length']);
  switch (shape.type) {
    case 'structure':
    case 'union': {
      const members: Record<string, SnapshotMember> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        members[name] = {
          target: local(member.target),
          ...(member.traits?.['smithy.api#required'] !== undefined && { required: true as const }),
        };
      }
      return { shape: { type: shape.type, members }, next: Object.values(shape.members ?? {}).map((member) => member.target) };
    }
    case 'list':
    case 'set':
      return { shape: { type: 'list', member: local(shape.member!.target), ...(length && { length }) }, next: [shape.member!.target] };
    case 'map':
      return {
        shape: { type: 'map', key: local(shape.key!.target), value: local(shape.value!.target), ...(length && { length }) },
        next: [shape.key!.target, shape.value!.target],
      };
    case 'enum':
      // An enum member without @enumValue has its name as value.
      return {
        shape: {
          type: 'enum',
          values: Object.entries(shape.members ?? {}).map(
            ([name, m]) => (m.traits?.['smithy.api#enumValue'] as string | undefined) ?? name,
          ),
        },
        next: [],
      };
    case 'intEnum':
      return {
        shape: { type: 'intEnum', values: Object.values(shape.members ?? {}).map((m) => m.traits!['smithy.api#enumValue'] as number) },
        next: [],
      };
    case 'string': {
      const legacyEnum = traits['smithy.api#enum'] as Array<{ value: string }> | undefined;
      if (legacyEnum) return { shape: { type: 'enum', values: legacyEnum.map((entry) => entry.value) }, next: [] };
      const pattern = traits['smithy.api#pattern'] as string | undefined;
      return { shape: { type: 'string', ...(length && { length }), ...(pattern !== undefined && { pattern }) }, next: [] };
    }
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'float':
    case 'double':
    case 'bigInteger':
    case 'bigDecimal': {
      const range = lengthOf(traits['smithy.api#range']);
      return { shape: { type: shape.type, ...(range && { range }) }, next: [] };
    }
    case 'boolean':
    case 'timestamp':
    case 'blob':
    case 'document':
      return { shape: { type: shape.type }, next: [] };
    default:
      throw new Error(`unhandled Smithy shape type ${shape.type}`);
  }
}

/** A shape only botocore has (the target of a member only botocore has). */
function fromBotocore(shape: BotocoreShape): { shape: SnapshotShape; next: string[] } {
  const length = shape.min !== undefined || shape.max !== undefined ? lengthOf({ min: shape.min, max: shape.max }) : undefined;
  switch (shape.type) {
    case 'structure': {
      const members: Record<string, SnapshotMember> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        members[name] = { target: member.shape, ...(shape.required?.includes(name) && { required: true as const }), botocore: true };
      }
      return { shape: { type: 'structure', members }, next: Object.values(shape.members ?? {}).map((member) => member.shape) };
    }
    case 'list':
      return { shape: { type: 'list', member: shape.member!.shape, ...(length && { length }) }, next: [shape.member!.shape] };
    case 'string':
      if (shape.enum) return { shape: { type: 'enum', values: shape.enum }, next: [] };
      // botocore writes patterns without the anchors Smithy's carry.
      return {
        shape: { type: 'string', ...(length && { length }), ...(shape.pattern !== undefined && { pattern: `^${shape.pattern}$` }) },
        next: [],
      };
    case 'boolean':
    case 'timestamp':
      return { shape: { type: shape.type }, next: [] };
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return { shape: { type: shape.type, ...(length && { range: length }) }, next: [] };
    default:
      throw new Error(`unhandled botocore shape type ${shape.type}`);
  }
}

function snapshot(service: (typeof SERVICES)[number], dir: string, smithyAt: string, botocoreAt: string): ModelSnapshot {
  const smithyPath = `models/${service.name}/service/${service.version}/${service.name}-${service.version}.json`;
  const smithy = source(join(dir, 'api-models-aws'), 'aws/api-models-aws', smithyAt, smithyPath);
  const botocore = source(dir, 'boto/botocore', botocoreAt, `botocore/data/${service.name}/${service.version}/service-2.json`);
  const smithyShapes = (smithy.json as { shapes: Record<string, SmithyShape> }).shapes;
  const botocoreShapes = (botocore.json as { shapes: Record<string, BotocoreShape> }).shapes;
  const namespace = Object.entries(smithyShapes)
    .find(([, shape]) => shape.type === 'service')![0]
    .split('#')[0]!;
  const local = (target: string) => (target.startsWith(`${namespace}#`) ? target.slice(namespace.length + 1) : target);

  const shapes: Record<string, SnapshotShape> = {};
  const visit = (target: string, fromBotocoreOnly = false) => {
    const name = local(target);
    if (target.startsWith(PRELUDE) || name in shapes) return;
    const inSmithy = smithyShapes[`${namespace}#${name}`];
    if (!inSmithy && !fromBotocoreOnly) throw new Error(`${service.name}: no shape ${target}`);
    const { shape, next } = inSmithy ? fromSmithy(inSmithy, local) : fromBotocore(botocoreShapes[name]!);
    shapes[name] = shape;
    // Values only botocore's newer model has (Inspector's Runtime gained JAVA_21, …): the installed SDK carries them.
    if (shape.type === 'enum' && inSmithy) {
      for (const value of botocoreShapes[name]?.enum ?? []) if (!shape.values.includes(value)) shape.values.push(value);
    }
    if (shape.type === 'structure' && inSmithy) {
      for (const [member, { shape: target }] of Object.entries(botocoreShapes[name]?.members ?? {})) {
        if (member in shape.members) continue;
        shape.members[member] = { target, botocore: true };
        visit(target, true);
      }
    }
    next.forEach((next) => visit(next, !inSmithy));
  };
  visit(`${namespace}#${service.root}`);

  return {
    about:
      `Facts derived from the official ${service.name} models: every shape reachable from ${service.root}, with members, targets, ` +
      'enum values and constraints. Generated by scripts/snapshot-aws-models.ts; regenerate rather than edit.',
    license: 'Apache-2.0 (the models are published under it)',
    sources: { smithy: smithy.source, botocore: botocore.source },
    namespace,
    root: service.root,
    shapes: Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b))),
  };
}

const { dir, smithyAt, botocoreAt } = parseArgs(process.argv.slice(2));
mkdirSync(OUT, { recursive: true });
for (const service of SERVICES) {
  const file = join(OUT, `${'file' in service ? service.file : service.name}.json`);
  const result = snapshot(service, dir, smithyAt, botocoreAt);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`${file}: ${Object.keys(result.shapes).length} shapes from ${result.root}`);
}

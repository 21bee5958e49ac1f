// Every environment variable the code reads is in the README: the product's in *Live
// configuration*, the tooling's (demo, emulator, bench, testkit, scripts, tests) in the sections
// that describe the tooling. The names are collected from the source as it reads them, so a new
// setting without a README line fails here.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const PRODUCT = ['src'];
const TOOLING = ['demo', 'emulator', 'bench', 'testkit', 'scripts', 'test'];

// The operating system's, not this project's settings.
const SYSTEM = new Set(['PATH', 'HOME', 'USERPROFILE']);

function sourceFiles(dir: string): string[] {
  const path = join(ROOT, dir);
  return readdirSync(path).flatMap((entry) => {
    const full = join(path, entry);
    if (statSync(full).isDirectory()) return entry === 'generated' || entry === 'fixtures' ? [] : sourceFiles(relative(ROOT, full));
    return /\.(ts|mts|mjs|js)$/.test(entry) && !entry.endsWith('.d.ts') ? [full] : [];
  });
}

const NAME = '([A-Z][A-Z0-9_]*)';
const READS = [
  // env.<name>, process.env.<name>, options.env.<name>
  new RegExp(`\\benv\\??\\.${NAME}\\b`, 'g'),
  // env['<name>']
  new RegExp(`\\benv\\[\\s*['"]${NAME}['"]\\s*\\]`, 'g'),
  // The config parsers: integer(env, '<name>', …), text(env, '<name>'), oneOf(env, '<name>', …), profileFlag(env, profile, '<name>', …)
  new RegExp(`\\(\\s*env\\s*,\\s*(?:[a-z]\\w*\\s*,\\s*)?['"]${NAME}['"]`, 'g'),
];
// Where the configuration is read, a name may also sit in a list before it is read (the endpoint and
// FIPS variables): every quoted SCREAMING_CASE literal there is a variable name.
const CONFIG_FILE = /\/src\/(config\/[^/]+|upstreams\/[^/]+\/settings)\.ts$/;
const LITERAL = /['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"]/g;

function namesRead(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const pattern of READS) for (const match of text.matchAll(pattern)) names.add(match[1]!);
  if (!CONFIG_FILE.test(file)) return names;
  for (const match of text.matchAll(LITERAL)) names.add(match[1]!);
  // The per-service endpoint variables are built from the service ids, as src/config/aws.ts builds them.
  for (const match of text.matchAll(/_SERVICE_ID = '([^']+)'/g))
    names.add(['AWS_ENDPOINT_URL', ...match[1]!.split(' ').map((word) => word.toUpperCase())].join('_'));
  return names;
}

function collect(dirs: string[]): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const file of dirs.flatMap(sourceFiles))
    for (const name of namesRead(file)) {
      if (SYSTEM.has(name)) continue;
      where.set(name, [...(where.get(name) ?? []), relative(ROOT, file)]);
    }
  return where;
}

/** The README text under the headings given (each up to the next heading of the same or a higher level). */
function sections(readme: string, headings: string[]): string {
  const lines = readme.split('\n');
  const parts: string[] = [];
  for (const heading of headings) {
    const start = lines.indexOf(heading);
    if (start < 0) throw new Error(`README.md has no "${heading}" heading`);
    const level = heading.indexOf(' ');
    let end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(' ') <= level);
    if (end < 0) end = lines.length;
    parts.push(lines.slice(start, end).join('\n'));
  }
  return parts.join('\n');
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const product = collect(PRODUCT);
const tooling = collect(TOOLING);
const missingFrom = (text: string, names: Map<string, string[]>) =>
  [...names]
    .filter(([name]) => !new RegExp(`\\b${name}\\b`).test(text))
    .map(([name, files]) => `${name} (read in ${[...new Set(files)].join(', ')})`)
    .sort();

describe('environment variables in the README', () => {
  it('finds the variables it should (the scan is not empty-handed)', () => {
    for (const name of [
      'AWS_REGION',
      'PORT',
      'HOST',
      'ADVALIDATION_API_KEY',
      'AWS_ENDPOINT_URL_CODEGURU_SECURITY',
      'AWS_USE_FIPS_ENDPOINT',
    ])
      expect(product.has(name), name).toBe(true);
    for (const name of ['EMULATOR_PORT', 'SUBGRAPH_URL', 'CHROMIUM_PATH', 'BENCH_RUNS']) expect(tooling.has(name), name).toBe(true);
  });

  it("lists every variable the product reads in 'Live configuration'", () => {
    expect(missingFrom(sections(readme, ['## Live configuration']), product)).toEqual([]);
  });

  it('lists every variable the tooling reads where the tooling is described', () => {
    const text = sections(readme, ['### The emulator', '## Performance', '## Development']);
    // A product variable the tooling also sets (LOG_LEVEL in the demo) is documented with the product.
    const own = new Map([...tooling].filter(([name]) => !product.has(name)));
    expect(missingFrom(text, own)).toEqual([]);
  });
});

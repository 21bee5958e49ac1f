/**
 * `npm run check:cycles`: fails when any import cycle exists among the TypeScript files of src/,
 * emulator/, demo/, testkit/, bench/ and scripts/. Type-only imports count: a cycle of types is
 * still two modules that cannot be understood apart. Lists every cycle (strongly connected
 * component of the import graph), files in a stable order.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOTS = ['src', 'emulator', 'demo', 'testkit', 'bench', 'scripts'];
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'results' ? [] : tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names (`./x.js` is `./x.ts` on disk), or undefined for packages and non-TS files. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((candidate) => candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile());
}

const files = ROOTS.flatMap((dir) => tsFiles(join(root, dir))).sort();
const known = new Set(files);
const edges = new Map<string, string[]>();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = importedFiles
    .map(({ fileName }) => resolveSpecifier(file, fileName))
    .filter((target): target is string => target !== undefined && known.has(target));
  edges.set(file, [...new Set(targets)]);
}

/** Tarjan's strongly connected components, iteratively (deep graphs must not overflow the stack). */
function stronglyConnected(nodes: readonly string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter);
    counter += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next]!;
        frame.next += 1;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && (edges.get(member) ?? []).includes(member);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components;
}

const cycles = stronglyConnected(files);
const edgeCount = [...edges.values()].reduce((sum, targets) => sum + targets.length, 0);
if (cycles.length === 0) {
  console.log(`No import cycles: ${files.length} files, ${edgeCount} imports (${ROOTS.join(', ')}).`);
  process.exit(0);
}
console.error(`${cycles.length} import cycle(s) among ${files.length} files:`);
for (const [i, cycle] of cycles.entries()) {
  console.error(`\n${i + 1}. ${cycle.length} files:`);
  for (const file of cycle) {
    const inside = (edges.get(file) ?? []).filter((target) => cycle.includes(target)).map((target) => relative(root, target));
    console.error(`   ${relative(root, file)}  ->  ${inside.join(', ')}`);
  }
}
process.exit(1);

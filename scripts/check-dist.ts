/**
 * `npm run check:dist`, right after `npm run build`: fails when dist/ holds anything but the
 * product. No file may sit under an emulator, demo, testkit, test, bench or scripts folder or be
 * named after one; no compiled file may import a relative path outside dist/ (packages and the
 * schema/ beside dist/ are what the image ships with), nor one that does not exist; every source
 * map must point into src/. Prints what it checked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const dist = join(root, 'dist');
const allowedOutside = [join(root, 'schema')];
const FORBIDDEN = ['emulator', 'demo', 'testkit', 'test', 'tests', 'bench', 'scripts', 'support'];
const forbiddenName = new RegExp(`^(${FORBIDDEN.join('|')})([.-]|$)|\\.(test|spec)\\.`);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

if (!existsSync(dist)) {
  console.error('dist/ does not exist: run `npm run build` first.');
  process.exit(1);
}
const files = walk(dist).sort();
const problems: string[] = [];
let bytes = 0;
for (const file of files) {
  const name = relative(dist, file);
  bytes += statSync(file).size;
  if (name.split(sep).some((part) => forbiddenName.test(part)))
    problems.push(`${name}: not product code (emulator, demo, testkit, test, bench or scripts)`);
  if (file.endsWith('.js')) {
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName);
      if (!inside(target, dist) && !allowedOutside.some((dir) => inside(target, dir)))
        problems.push(`${name}: imports ${fileName}, outside dist/`);
      else if (!existsSync(target)) problems.push(`${name}: imports ${fileName}, which does not exist`);
    }
  }
  if (file.endsWith('.js.map')) {
    const sources = (JSON.parse(readFileSync(file, 'utf8')) as { sources?: string[] }).sources ?? [];
    for (const source of sources) {
      if (!inside(resolve(dirname(file), source), join(root, 'src'))) problems.push(`${name}: compiled from ${source}, outside src/`);
    }
  }
}
const summary = `${files.length} files, ${(bytes / 1024).toFixed(1)} KB (${bytes} bytes) in dist/`;
if (problems.length > 0) {
  console.error(`dist/ carries more than the product (${summary}):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`dist/ holds only the product: ${summary} checked.`);

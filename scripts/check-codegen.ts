// Fails when src/generated is not what codegen.ts produces from schema/*.graphql today.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const target = 'src/generated/resolvers-types.ts';
const committed = readFileSync(target, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
try {
  execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], { stdio: 'inherit' });
  const fresh = readFileSync(target, 'utf8');
  if (fresh !== committed) {
    writeFileSync(join(dir, 'fresh.ts'), fresh);
    writeFileSync(target, committed);
    console.error(`${target} is stale: run \`npm run codegen\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${target} is current.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

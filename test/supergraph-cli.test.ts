// `npm run supergraph` with bad arguments: one line naming the problem, exit 1, no stack trace.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPANION_SDL } from '../testkit/companion-subgraph.js';

function supergraph(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/supergraph.ts', ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'supergraph-cli-'));
const invalid = join(dir, 'invalid.graphql');
writeFileSync(invalid, 'type Query { x: Int');
const companion = join(dir, 'releases.graphql');
writeFileSync(companion, COMPANION_SDL);

describe('npm run supergraph', () => {
  it.each([
    ['a path without a name', ['path/without/name='], /expected name=path\/to\/schema\.graphql.*got "path\/without\/name="/],
    ['a name without a path', ['releases='], /expected name=path.*got "releases="/],
    ['no = at all', ['releases.graphql'], /expected name=path.*got "releases\.graphql"/],
    ['a missing file', [`r=${join(dir, 'missing.graphql')}`], /missing\.graphql: no such file/],
    ['a directory', [`r=${dir}`], /: is a directory, not a file/],
    ['invalid SDL', [`r=${invalid}`], /invalid\.graphql: Syntax Error: Expected Name, found <EOF>\. \(line 1, column 20\)/],
    ['our own name', [`appsec=${companion}`], /subgraph name "appsec" is used twice/],
    ['a name twice', [`r=${companion}`, `r=${companion}`], /subgraph name "r" is used twice/],
  ])('%s: one line, exit 1', async (_case, args, message) => {
    const { code, stdout, stderr } = await supergraph(args);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^supergraph: /);
    expect(lines[0]).toMatch(message);
  });

  it('a SUBGRAPH_URL that is not an http(s) URL: one line naming it, exit 1', async () => {
    const { code, stdout, stderr } = await supergraph([], { SUBGRAPH_URL: 'localhost:4001/graphql' });
    expect({ code, stdout, stderr: stderr.trimEnd() }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'supergraph: SUBGRAPH_URL "localhost:4001/graphql" is not an http(s) URL.',
    });
  });

  it('composes with a valid subgraph file (exit 0, the supergraph on stdout, SUBGRAPH_URL as our routing URL)', async () => {
    const { code, stdout, stderr } = await supergraph([`releases=${companion}`], { SUBGRAPH_URL: 'http://appsec.internal:4001/graphql' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/join__Graph[\s\S]*APPSEC[\s\S]*RELEASES/);
    expect(stdout).toContain('url: "http://appsec.internal:4001/graphql"');
  });
});

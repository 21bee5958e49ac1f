import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../testkit/stack.js';

/**
 * The README's Discovery section shows one query per entry point and says each runs as written
 * against the demo: they are read from the README itself and run against the same seed.
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Discovery'), readme.indexOf('\n## ', readme.indexOf('## Discovery') + 1));
const queries = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
const ENTRY_POINTS = [
  'codeBuildProjects',
  'projectBuilds',
  'recentBuilds',
  'codeGuruSecurityScans',
  'codeGuruSecurityScanFindings',
  'inspectorFindings',
  'advalidationCampaigns',
  'advalidationCampaignCreatives',
];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('the README discovery examples', () => {
  it('show every entry point', () => {
    for (const field of ENTRY_POINTS)
      expect(
        queries.some((query) => new RegExp(`\\b${field}\\(`).test(query)),
        field,
      ).toBe(true);
  });

  it.each(queries.map((query) => [/query (\w+)/.exec(query)?.[1] ?? query.slice(0, 40), query]))(
    '%s runs as written, with data on every page',
    async (_name, query) => {
      const response = await stack.query<Record<string, { nodes?: unknown[]; edges?: unknown[] } | null>>(query);
      expect(response.errors).toBeUndefined();
      for (const [field, page] of Object.entries(response.data ?? {})) {
        expect((page?.nodes ?? page?.edges ?? []).length, field).toBeGreaterThan(0);
      }
    },
  );
});

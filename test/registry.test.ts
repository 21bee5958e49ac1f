import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { assertUniqueModules, createLoaders, UPSTREAMS } from '../src/upstreams/registry.js';
import { widgetCalls } from './fixtures/widgets/client.js';
import { widgets } from './fixtures/widgets/index.js';
import { startStack } from '../testkit/stack.js';

// The worked example of "one folder + one line": a fifth upstream, defined in one fixture folder
// (its SDL, an in-memory client, loader, resolvers, settings, module), served by adding it to
// the module list. Nothing else in src/ knows it.
const MODULES = [...UPSTREAMS, widgets] as const;
const base = { AWS_REGION: 'us-east-1', ADVALIDATION_API_KEY: 'k', AWS_CONFIG_FILE: '/nonexistent/config' };

describe('the registry', () => {
  it('lists each upstream once, by name and key', () => {
    expect(UPSTREAMS.map((module) => module.identity.name)).toEqual(['codebuild', 'codeguru-security', 'inspector2', 'advalidation']);
    expect(() => assertUniqueModules(MODULES)).not.toThrow();
    expect(() => assertUniqueModules([...MODULES, widgets])).toThrow(/share the name widgets/);
  });

  it('refuses two modules naming a loader alike, instead of handing one module the other’s', () => {
    const module = (key: string) => ({ ...widgets, key, createLoaders: () => ({ lists: key }) });
    const upstreams = (modules: unknown[]) => ({ modules, sharedCalls: undefined }) as never;
    const scope = { signal: new AbortController().signal };
    expect(() => createLoaders(upstreams([module('a'), module('b')]), scope)).toThrow(/Two upstream modules name a loader "lists".*\(b\)/);
    expect(createLoaders(upstreams([module('a')]), scope)).toEqual({ lists: 'a' });
  });

  it("reads a module's variables from the environment given, under its key", async () => {
    const config = await loadConfig({ ...base, WIDGETS_COLOUR: 'red' }, MODULES);
    expect(config.widgets).toEqual({ colour: 'red', maxBatchSize: 50 });
    expect((await loadConfig(base, MODULES)).widgets.colour).toBe('blue');
    await expect(loadConfig({ ...base, WIDGETS_MAX_BATCH: 'lots' }, MODULES)).rejects.toThrow(ConfigError);
    await expect(loadConfig({ ...base, WIDGETS_MAX_BATCH: 'lots' }, MODULES)).rejects.toThrow(/^WIDGETS_MAX_BATCH must be an integer/);
  });
});

describe('a fifth upstream through the subgraph', () => {
  it('batches its root field and its _entities lookups, names itself in errors and metrics, beside the four', async () => {
    const stack = await startStack({ modules: MODULES, env: { WIDGETS_COLOUR: 'red', WIDGETS_MAX_BATCH: '2' } });
    try {
      widgetCalls.length = 0;
      const build = stack.emulator.data.builds[0]!;
      const response = await stack.query<{ widgets: unknown[]; widget: unknown; build: { id: string } }>(
        `query($b: ID!) { widgets(ids: ["1", "2", "3", "404"]) { id name colour } widget(id: "2") { id } build(id: $b) { id } }`,
        { b: build.id },
      );
      expect(response.data).toEqual({
        widgets: [
          { id: '1', name: 'widget 1', colour: 'red' },
          { id: '2', name: 'widget 2', colour: 'red' },
          { id: '3', name: 'widget 3', colour: 'red' },
          null,
        ],
        widget: { id: '2' },
        build: { id: build.id },
      });
      // Four distinct ids (the repeated one is de-duplicated), two per call (WIDGETS_MAX_BATCH).
      expect(widgetCalls.map((ids) => ids.length)).toEqual([2, 2]);
      expect(response.errors).toEqual([
        expect.objectContaining({ path: ['widgets', 3], extensions: expect.objectContaining({ code: 'NOT_FOUND', upstream: 'widgets' }) }),
      ]);

      widgetCalls.length = 0;
      const entities = await stack.query<{ _entities: unknown[] }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Widget { id colour } } }`,
        {
          r: ['5', '6', '7'].map((id) => ({ __typename: 'Widget', id })),
        },
      );
      expect(entities.errors).toBeUndefined();
      expect(entities.data!._entities).toEqual(['5', '6', '7'].map((id) => ({ id, colour: 'red' })));
      expect(widgetCalls.map((ids) => ids.length)).toEqual([2, 1]);

      const failed = await stack.query(`{ widget(id: "999") { id } }`);
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstream: 'widgets' });
      // Its key shape is checked before any call, for a root field and a representation alike.
      widgetCalls.length = 0;
      const refused = await stack.query(
        `query($r: [_Any!]!) { widget(id: "w-1") { id } _entities(representations: $r) { ... on Widget { id } } }`,
        { r: [{ __typename: 'Widget', id: 'w-2' }] },
      );
      const refusals = refused.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.upstream]);
      expect(refusals).toHaveLength(2);
      expect(refusals).toEqual(
        expect.arrayContaining([
          [['widget'], 'BAD_USER_INPUT', 'widgets'],
          [['_entities', 0], 'BAD_USER_INPUT', 'widgets'],
        ]),
      );
      expect(widgetCalls).toEqual([]);

      const metrics = await stack.scrapeMetrics();
      expect(metrics).toMatch(/subgraph_upstream_calls_total\{api="widgets",region="[^"]*",outcome="ok"\} 4/);
      expect(metrics).toMatch(/subgraph_upstream_retries_total\{api="widgets",reason="throttled"\} 0/);
    } finally {
      await stack.stop();
    }
  });
});

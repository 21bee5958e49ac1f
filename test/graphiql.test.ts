import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/index.js';
import { loadCoreConfig } from '../src/config/core.js';
import { graphiqlHtml, type ExampleQuery } from '../src/graphiql/landing-page.js';
import { INTROSPECTION_OFF_MESSAGE } from '../src/graphql/format-error.js';
import { startStack, type GraphQLResponse, type Stack } from '../testkit/stack.js';
import { startDemoProcess, type DemoProcess } from './support/demo-process.js';

/** The landing page is GraphiQL from the subgraph's own assets: nothing from another origin. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const page = () => fetch(`${stack.subgraph.url}/graphql`, { headers: { accept: 'text/html' } });

describe('GET /graphql in a browser', () => {
  it('answers GraphiQL whose every resource is same-origin, under a strict CSP', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'.*connect-src 'self'/);
    const html = await response.text();
    expect(html).toContain('<div id="graphiql">');
    expect(html).toContain('<link rel="icon" href="/favicon.ico">');
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
    expect(html).not.toMatch(/cdn\.|apollographql\.com|unpkg|jsdelivr|esm\.sh/);
  });

  it('serves every asset it references with the right content type', async () => {
    const html = await (await page()).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual([
      '/graphiql/graphiql.css',
      '/graphiql/react.js',
      '/graphiql/react-dom.js',
      '/graphiql/graphiql.js',
      '/graphiql/init.js',
    ]);
    for (const asset of assets) {
      const response = await fetch(`${stack.subgraph.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
  });

  it('serves only its whitelist: traversal and unknown names are 404', async () => {
    for (const path of ['/graphiql/../package.json', '/graphiql/%2e%2e/package.json', '/graphiql/package.json', '/graphiql/']) {
      const response = await fetch(`${stack.subgraph.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('"dependencies"');
    }
  });

  it('embeds example queries as inert JSON that no example text can break out of', async () => {
    const html = await (await page()).text();
    const block = /<script id="graphiql-config" type="application\/json">([^<]*)<\/script>/.exec(html);
    expect(block).not.toBeNull();
    const config = JSON.parse(block![1]!) as { examples: Array<{ title: string; query: string }> };
    expect(config.examples.length).toBeGreaterThan(0);
  });

  it('keeps hostile example text inside its JSON block, and gives it back unchanged', () => {
    const hostile: ExampleQuery[] = [
      {
        title: '</script><script>alert(1)</script>',
        query: '{ a } <!-- <script> & \u2028 \u2029',
        variables: { x: '</SCRIPT >', y: ['<', '>', '&'] },
      },
    ];
    const html = graphiqlHtml(hostile);
    // The only script tags are the page's own five: the JSON block and the four assets.
    expect(html.match(/<script/gi)).toHaveLength(5);
    expect(html.match(/<\/script/gi)).toHaveLength(5);
    const block = /<script id="graphiql-config" type="application\/json">([^<]*)<\/script>/.exec(html);
    expect(block).not.toBeNull();
    expect(block![1]).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(block![1]!)).toEqual({ examples: hostile });
  });

  it('still answers GraphQL POSTs at the same URL, with CSRF prevention on for GETs', async () => {
    const post = await stack.query<{ __typename: string }>('{ __typename }');
    expect(post.data).toEqual({ __typename: 'Query' });
    const get = await fetch(`${stack.subgraph.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
  });
});

const INTROSPECTION_QUERY = '{ __schema { queryType { name } types { name } } }';
const htmlPage = (url: string) => fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });

describe('/favicon.ico', () => {
  it('is a real 32×32 ICO from the subgraph itself, cacheable, whatever INTROSPECTION says', async () => {
    const off = await startStack({ env: { INTROSPECTION: 'off' } });
    try {
      for (const url of [stack.subgraph.url, off.subgraph.url]) {
        const response = await fetch(`${url}/favicon.ico`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/x-icon');
        expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d{4,}/);
        const ico = Buffer.from(await response.arrayBuffer());
        // ICONDIR: reserved 0, type 1 (icon), one image; its entry: 32×32, 32 bits, where its bytes are.
        expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 1]);
        expect([ico[6], ico[7], ico.readUInt16LE(12)]).toEqual([32, 32, 32]);
        const [size, offset] = [ico.readUInt32LE(14), ico.readUInt32LE(18)];
        expect(offset + size).toBe(ico.length);
        // The BMP inside: a BITMAPINFOHEADER, twice the height (image + mask), as ICO requires.
        expect([ico.readUInt32LE(offset), ico.readInt32LE(offset + 4), ico.readInt32LE(offset + 8)]).toEqual([40, 32, 64]);
        // A drawing, not a blank square: some pixels opaque, some transparent.
        const alphas = Array.from({ length: 32 * 32 }, (_, i) => ico[offset + 40 + i * 4 + 3]!);
        expect(alphas.filter((alpha) => alpha === 255).length).toBeGreaterThan(50);
        expect(alphas.filter((alpha) => alpha === 0).length).toBeGreaterThan(300);
      }
      expect((await fetch(`${stack.subgraph.url}/favicon.ico`, { method: 'HEAD' })).status).toBe(200);
      const post = await fetch(`${stack.subgraph.url}/favicon.ico`, { method: 'POST' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    } finally {
      await off.stop();
    }
  });
});

describe('INTROSPECTION', () => {
  it('is on unless set off, and anything but on or off stops the start naming the variable', () => {
    expect(loadCoreConfig({}).introspection).toBe(true);
    expect(loadCoreConfig({ INTROSPECTION: '' }).introspection).toBe(true);
    expect(loadCoreConfig({ INTROSPECTION: 'on' }).introspection).toBe(true);
    expect(loadCoreConfig({ INTROSPECTION: 'off' }).introspection).toBe(false);
    for (const value of ['true', 'false', 'yes', 'ON', '0']) {
      expect(() => loadCoreConfig({ INTROSPECTION: value }), value).toThrow(ConfigError);
      expect(() => loadCoreConfig({ INTROSPECTION: value }), value).toThrow(`INTROSPECTION must be one of on, off, got "${value}".`);
    }
  });

  it('on (the default): introspection is answered', async () => {
    const result = await stack.query<{ __schema: { queryType: { name: string }; types: unknown[] } }>(INTROSPECTION_QUERY);
    expect(result.errors).toBeUndefined();
    expect(result.data?.__schema.queryType.name).toBe('Query');
    expect(result.data?.__schema.types.length).toBeGreaterThan(20);
  });

  describe('off', () => {
    let off: Stack;
    beforeAll(async () => {
      off = await startStack({ env: { INTROSPECTION: 'off' } });
    });
    afterAll(() => off.stop());

    it("refuses introspection, and still answers operations and the router's _service { sdl }", async () => {
      const refused = await off.query(INTROSPECTION_QUERY);
      expect(refused.data).toBeUndefined();
      expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refused.errors?.[0]?.message).toBe(INTROSPECTION_OFF_MESSAGE);
      expect((await off.query('{ __typename }')).data).toEqual({ __typename: 'Query' });
      const sdl = await off.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
      expect(sdl.data?._service.sdl).toContain('type Build');
    });

    it("says why and what to do, not Apollo's text: through fragments, aliases, __type, APQ, GET and POST", async () => {
      const post = (body: Record<string, unknown>) =>
        fetch(`${off.subgraph.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const query = '{ ...Intro } fragment Intro on Query { s: __schema { types { name } } t: __type(name: "Build") { name } }';
      const sha256Hash = createHash('sha256').update(query).digest('hex');
      const apq = { persistedQuery: { version: 1, sha256Hash } };
      const answers: Response[] = [
        await post({ query }),
        // Registering a persisted query validates it like any other.
        await post({ query, extensions: apq }),
        await fetch(
          `${off.subgraph.url}/graphql?query=${encodeURIComponent(query)}&extensions=${encodeURIComponent(JSON.stringify(apq))}`,
          { headers: { 'apollo-require-preflight': '1' } },
        ),
        await fetch(`${off.subgraph.url}/graphql?query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': '1' } }),
      ];
      for (const [index, response] of answers.entries()) {
        expect(response.status, String(index)).toBe(400);
        const result = (await response.json()) as GraphQLResponse;
        expect(result.data, String(index)).toBeUndefined();
        // One refusal per introspection field, each with our text and Apollo's code.
        expect(
          result.errors?.map((error) => [error.message, error.extensions?.code]),
          String(index),
        ).toEqual([
          [INTROSPECTION_OFF_MESSAGE, 'GRAPHQL_VALIDATION_FAILED'],
          [INTROSPECTION_OFF_MESSAGE, 'GRAPHQL_VALIDATION_FAILED'],
        ]);
        expect(JSON.stringify(result), String(index)).not.toMatch(/ApolloServer|introspection: true/);
      }
      // A refused document is not stored: its hash alone stays unknown, not a way around the rule.
      const byHash = (await (await post({ extensions: apq })).json()) as GraphQLResponse;
      expect(byHash.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(INTROSPECTION_OFF_MESSAGE).toContain('INTROSPECTION=off');
      expect(INTROSPECTION_OFF_MESSAGE).toContain('INTROSPECTION=on');
      expect(INTROSPECTION_OFF_MESSAGE).toMatch(/through the router/);
    });

    it('answers a browser with a static page saying so, under a CSP that allows no script, and serves no GraphiQL', async () => {
      const response = await htmlPage(off.subgraph.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('GraphiQL is off');
      expect(html).toContain('INTROSPECTION=on');
      expect(html).toMatch(/router/);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toContain('/graphiql/');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toMatch(/^default-src 'none'; /);
      expect(csp).not.toMatch(/script-src|unsafe-inline/);
      // The one style allowed is the page's own block, by its hash.
      const style = /<style>([^<]*)<\/style>/.exec(html)![1]!;
      expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
      for (const asset of ['/graphiql/graphiql.js', '/graphiql/init.js', '/graphiql/graphiql.css']) {
        expect((await fetch(`${off.subgraph.url}${asset}`)).status, asset).toBe(404);
      }
      // A GET carrying anything after `?` is GraphQL's, not the page's (here refused by CSRF prevention).
      const get = await fetch(`${off.subgraph.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { accept: 'text/html' },
      });
      expect(get.status).toBe(400);
      expect(get.headers.get('content-type')).toMatch(/json/);
    });
  });

  describe('with ROUTER_SECRET', () => {
    const SECRET = 'graphiql-router-secret';
    let on: Stack;
    let off: Stack;
    beforeAll(async () => {
      [on, off] = await Promise.all([
        startStack({ env: { ROUTER_SECRET: SECRET } }),
        startStack({ env: { ROUTER_SECRET: SECRET, INTROSPECTION: 'off' } }),
      ]);
    });
    afterAll(() => Promise.all([on.stop(), off.stop()]));

    it('introspection needs the secret like any operation; the page alone does not', async () => {
      const anonymous = await fetch(`${on.subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: INTROSPECTION_QUERY }),
      });
      expect(anonymous.status).toBe(401);
      const router = await on.query<{ __schema: unknown }>(INTROSPECTION_QUERY, undefined, { 'router-authorization': SECRET });
      expect(router.data?.__schema).toBeDefined();
      expect((await htmlPage(on.subgraph.url)).status).toBe(200);

      // Off, not even the router gets introspection; a browser still gets the page.
      const refused = await off.query(INTROSPECTION_QUERY, undefined, { 'router-authorization': SECRET });
      expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const page = await htmlPage(off.subgraph.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('GraphiQL is off');
    });
  });

  describe('under NODE_ENV=production (the image), INTROSPECTION unset', () => {
    let demo: DemoProcess;
    beforeAll(async () => {
      demo = await startDemoProcess({ NODE_ENV: 'production', INTROSPECTION: undefined });
    }, 60_000);
    afterAll(() => demo?.stop());

    it('answers introspection and serves GraphiQL: NODE_ENV no longer decides', async () => {
      const response = await fetch(`${demo.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: INTROSPECTION_QUERY }),
      });
      const result = (await response.json()) as GraphQLResponse<{ __schema: { queryType: { name: string } } }>;
      expect(result.errors).toBeUndefined();
      expect(result.data?.__schema.queryType.name).toBe('Query');
      expect(await (await htmlPage(demo.url)).text()).toContain('<div id="graphiql">');
    });
  });
});

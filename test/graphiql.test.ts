import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlHtml, type ExampleQuery } from '../src/graphiql/landing-page.js';
import { startStack, type Stack } from '../testkit/stack.js';

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

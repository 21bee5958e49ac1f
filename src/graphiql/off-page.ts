import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * What a browser gets at /graphql under INTROSPECTION=off: GraphiQL without introspection has
 * no docs and no completion, so instead of a crippled GraphiQL a static page says why it is
 * absent and where to explore. No script at all, and a CSP that allows none.
 */
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b2240}' +
  'h1{font-size:1.4rem}code{background:#f1f2f6;padding:0 .25rem;border-radius:3px}';

/** Only this page's own style block and its icon: script-src falls back to 'none'. */
export const OFF_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const OFF_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL is off · appsec-ci-subgraph</title>
<link rel="icon" href="/favicon.ico">
<style>${STYLE}</style>
</head>
<body>
<h1>GraphiQL is off on this subgraph</h1>
<p>This subgraph runs with <code>INTROSPECTION=off</code>: it refuses introspection queries, so it serves no GraphiQL here.</p>
<p>To explore its schema:</p>
<ul>
<li>use your router's or gateway's own explorer (Apollo Sandbox, Hive Laboratory, GraphiQL on the router), where the whole supergraph is visible; or</li>
<li>set <code>INTROSPECTION=on</code> on this subgraph: GraphiQL is then served at this URL.</li>
</ul>
<p>GraphQL itself is still answered here with <code>POST /graphql</code>.</p>
</body>
</html>
`;

export function serveOffPage(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': OFF_PAGE_CSP,
    // The setting may change with the next deployment: always ask again.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(OFF_PAGE_HTML);
}

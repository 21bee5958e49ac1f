import type { ApolloServerPlugin } from '@apollo/server';

/** A ready query GraphiQL opens as a tab. */
export interface ExampleQuery {
  /** The tab's opening comment; one short line (it must fit the editor), a second line for details. */
  title: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** The page's own resources only: nothing may load from, or connect to, another origin. */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON that can sit inside a <script> block whatever the example text holds. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function graphiqlHtml(examples: readonly ExampleQuery[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · appsec-ci-subgraph</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="graphiql-config" type="application/json">${scriptSafeJson({ examples })}</script>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script src="/graphiql/init.js"></script>
</body>
</html>
`;
}

/**
 * Replaces Apollo's landing page (which loads Apollo Sandbox from a CDN and shows "you might be
 * offline" without one) with GraphiQL served from this subgraph's own assets.
 */
export function graphiqlLandingPage(examples: readonly ExampleQuery[]): ApolloServerPlugin {
  const html = graphiqlHtml(examples);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

export const DEFAULT_EXAMPLES: ExampleQuery[] = [
  {
    title: 'Builds by id: replace the id with one of yours',
    query:
      'query Builds($ids: [ID!]!) {\n  builds(ids: $ids) {\n    id\n    projectName\n    buildStatus\n    startTime\n    endTime\n  }\n}',
    variables: { ids: ['my-project:00000000-0000-0000-0000-000000000000'] },
  },
];

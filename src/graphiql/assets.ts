import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { send } from '../http/respond.js';

const require = createRequire(import.meta.url);

/**
 * GraphiQL 3 and React 18 ship UMD builds that run in a browser as they are: served from the
 * installed packages, with no bundler and no CDN, so the page works with no network at all.
 * (GraphiQL 5 needs a bundler and three Monaco workers, 7 MB against these 1.5 MB.)
 */
const FILES: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript; charset=utf-8' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css; charset=utf-8' },
};

/** The installed package's folder (its `exports` hide these files from require.resolve). */
function packageRoot(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (
    !existsSync(join(dir, 'package.json')) ||
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== pkg
  ) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${pkg} package`);
    dir = parent;
  }
  return dir;
}

/** Starts the page: reads its configuration from a JSON block (no inline script, so CSP stays strict). */
const INIT_JS = `(() => {
  const config = JSON.parse(document.getElementById('graphiql-config').textContent);
  const fetcher = GraphiQL.createFetcher({ url: location.pathname });
  const defaultTabs = config.examples.map((example) => ({
    query: example.title.split('\\n').map((line) => '# ' + line + '\\n').join('') + example.query,
    variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined,
  }));
  // The editors start from query/variables (the tabs alone would leave the first tab's
  // variables editor empty), so the first tab's values are given to both.
  const first = defaultTabs[0] || {};
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultTabs, query: first.query, variables: first.variables, defaultEditorToolsVisibility: 'variables' }),
  );
})();
`;

const cache = new Map<string, Buffer>();

function load(name: string): Buffer | undefined {
  if (name === 'init.js') return Buffer.from(INIT_JS);
  // Own properties only: `constructor`, `__proto__` and `toString` are not assets.
  if (!Object.hasOwn(FILES, name)) return undefined;
  const file = FILES[name]!;
  let content = cache.get(name);
  if (!content) {
    content = readFileSync(join(packageRoot(file.pkg), file.file));
    cache.set(name, content);
  }
  return content;
}

/** Answers `/graphiql/<name>` for the whitelisted assets only; anything else is a 404. */
export function serveGraphiQLAsset(pathname: string, res: ServerResponse): void {
  const name = pathname.slice('/graphiql/'.length);
  let content: Buffer | undefined;
  try {
    content = load(name);
  } catch {
    send(res, 500, { 'content-type': 'text/plain' }, 'GraphiQL assets are not installed');
    return;
  }
  if (!content) {
    send(res, 404, { 'content-type': 'text/plain' }, 'Not found');
    return;
  }
  res.writeHead(200, {
    'content-type': name === 'init.js' ? 'text/javascript; charset=utf-8' : FILES[name]!.type,
    'cache-control': 'public, max-age=86400',
    'x-content-type-options': 'nosniff',
  });
  res.end(content);
}

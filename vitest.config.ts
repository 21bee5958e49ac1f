import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships index.js (CJS) and index.mjs. Node resolves `graphql` to the CJS build,
    // which @apollo/subgraph loads too; Vite would pick index.mjs and give the tests two
    // graphql realms. Resolve it as Node does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Every file gets its own process. Tests no longer write process.env, so threads would work,
    // but they were not faster on two cores and a timing-sensitive test timed out once in three runs.
    pool: 'forks',
    // Read by the SDK from process.env itself (a Node 20 notice, not configuration): set for every worker here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

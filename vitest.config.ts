import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every file gets its own process: the SDK clients read endpoint settings from process.env.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

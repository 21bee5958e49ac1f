import root from '../../eslint.config.js';

/**
 * The repository's rules, with type information from this package's own tsconfig (its files import the
 * gateway's packages from ./node_modules, which the root tsconfig does not see). ESLint picks this file
 * for everything under compat/hive-gateway/, also when run from the root as `eslint .`.
 */
export default [
  ...root,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it/hooks return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      // The repository is reached through its testkit only (as the root suite's tests do), never its src/, emulator/, tests or tools.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(src|emulator|demo|test|bench|scripts)/',
              message: 'compat/hive-gateway reaches the repository through testkit/ only.',
            },
          ],
        },
      ],
    },
  },
];

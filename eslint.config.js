import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A restricted-import pattern for relative imports that climb into one of these top-level folders. */
function outside(...folders) {
  return {
    regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`,
    message: `Import boundary: this folder may not import ${folders.map((folder) => `${folder}/`).join(', ')} (see eslint.config.js).`,
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'coverage/**', 'bench/results/**', 'src/graphiql/assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
    },
  },
  // Type-aware rules, for very async code: a promise nobody awaits or handles is a rejection
  // that nobody sees (or a crash), and an async callback where a sync one is expected is one too.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.check.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  // Import boundaries: the product never reaches the tooling around it; the emulator imitates
  // the APIs on its own (types of the shapes it imitates only), so a wrong product constant
  // cannot hide behind an emulator that shares it.
  {
    files: ['src/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [outside('emulator', 'demo', 'testkit', 'test', 'bench', 'scripts')] },
      ],
    },
  },
  {
    files: ['emulator/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              ...outside('src'),
              message: 'The emulator may import only types from src/ (`import type`): it must stay faithful to the AWS models on its own.',
              allowTypeImports: true,
            },
            outside('demo', 'testkit', 'test', 'bench', 'scripts'),
          ],
        },
      ],
    },
  },
  {
    files: ['testkit/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [outside('demo', 'test', 'bench', 'scripts')] }] },
  },
  {
    files: ['demo/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [outside('testkit', 'test', 'bench', 'scripts')] }] },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

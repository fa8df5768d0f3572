import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Query and path integers go through queryInt/queryId (src/contracts/common.ts): z.coerce
    // took "0x10", "1e1" and "" as numbers.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'z', property: 'coerce', message: 'use queryInt / queryId from src/contracts/common.ts' }] },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // domain/ is pure: no I/O and nothing from the rest of src/ (ARCHITECTURE.md § The shape).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../*', 'node:*', 'kysely', 'fastify', 'pg', 'better-sqlite3'] }],
    },
  },
  {
    // Only repositories (and the db layer, migrations, CLI, demo loader) touch the database.
    files: ['src/modules/**/routes.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['kysely'], patterns: ['**/db/database.ts', '**/repository.ts'] }] },
  },
);

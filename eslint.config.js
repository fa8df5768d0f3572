import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import shortNames from './scripts/eslint/short-names.js';

const ZONE_MESSAGE =
  "show and pick dates through useDates() (web/src/i18n/dates.ts): they are the workspace zone's, not the browser's";

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
      'keyline/short-names': 'error',
    },
    plugins: { keyline: { rules: { 'short-names': shortNames } } },
  },
  {
    // Query and path integers go through queryInt/queryId (src/contracts/common.ts): z.coerce
    // took "0x10", "1e1" and "" as numbers.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'z', property: 'coerce', message: 'use queryInt / queryId from src/contracts/common.ts' },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Dates and times show in the workspace's zone, whatever the browser's (docs/DESIGN.md § Time and the
    // calendar): pages take them from useDates() (web/src/i18n/dates.ts), the one place that formats an
    // instant or reads a wall clock. test/web/dates-lint.test.ts checks that each way round it is caught.
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: ['web/src/i18n/dates.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'dayjs', allowTypeImports: true, message: ZONE_MESSAGE }],
          patterns: [{ group: ['dayjs/*'], message: ZONE_MESSAGE }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: ZONE_MESSAGE },
        {
          selector:
            'CallExpression[callee.property.name=/^(toLocaleDateString|toLocaleTimeString|toDateString|toTimeString|get(UTC)?(FullYear|Month|Date|Day|Hours|Minutes)|getTimezoneOffset)$/]',
          message: ZONE_MESSAGE,
        },
        { selector: "MemberExpression[object.name='Intl'][property.name='DateTimeFormat']", message: ZONE_MESSAGE },
        {
          // A dayjs pattern (picker values): YYYY-MM-DD, MM-DD HH:mm …
          selector: "CallExpression[callee.property.name='format'][arguments.0.value=/YY|MM|DD|HH|mm/]",
          message: ZONE_MESSAGE,
        },
      ],
    },
  },
  {
    // domain/ is pure: no I/O and nothing from the rest of src/ (ARCHITECTURE.md § The shape) —
    // but the names it decides over (capabilities) live in the pure contracts the web shares.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '../*',
            '!../contracts',
            '../contracts/*',
            '!../contracts/capabilities.ts',
            'node:*',
            'kysely',
            'fastify',
            'pg',
            'better-sqlite3',
          ],
        },
      ],
    },
  },
  {
    // SQL lives in repositories (docs/DESIGN.md § Where SQL lives): services and the other module
    // files keep the transactions and pass the handle (a type-only import of Kysely) to repository
    // functions, but build no query. scope.ts holds the shared WHERE fragments; jobs/lease.ts is
    // the lease table's repository. Another area's repository is reached through that area's
    // service — except the audit log and the record history, written by every area inside its
    // own transaction. An area whose queries outgrow one file keeps them in a repository/ folder,
    // one file per kind of read (src/modules/funnel/repository/).
    files: ['src/modules/**/*.ts'],
    ignores: [
      'src/modules/**/repository.ts',
      'src/modules/*/repository/*.ts',
      'src/modules/scope.ts',
      'src/modules/jobs/lease.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'kysely',
              allowTypeImports: true,
              message:
                'Query building (and sql``) belongs in a repository; pass the Kysely/Transaction handle to a repository function.',
            },
          ],
          patterns: [
            {
              group: [
                '../*/repository.ts',
                '../*/repository/*',
                '!../audit/repository.ts',
                '!../history/repository.ts',
              ],
              allowTypeImports: true,
              message: "Call the other area's service (or a read function it exports), not its repository.",
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|withRecursive|executeQuery)$/]',
          message: 'SQL belongs in a repository function; call one with the handle.',
        },
      ],
    },
  },
  {
    // Only repositories (and the db layer, migrations, CLI, demo loader) touch the database.
    files: ['src/modules/**/routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['kysely'], patterns: ['**/db/database.ts', '**/repository.ts', '**/repository/*'] },
      ],
    },
  },
);

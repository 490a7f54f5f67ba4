// Lint enforces the process boundaries of ARCHITECTURE.md, so they hold without a reviewer.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'url',
  'worker_threads',
];
const nativeAndNodeOnly = [
  'better-sqlite3',
  'dockerode',
  'ws',
  'electron',
  'electron-log',
  'commander',
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            'bin/*.js',
            'scripts/*.mjs',
            'test/fixtures/*.mjs',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Named exports only: one name per thing, greppable across the tree.
      'no-restricted-exports': [
        'error',
        {
          restrictDefaultExports: {
            direct: true,
            named: true,
            defaultFrom: true,
            namedFrom: true,
            namespaceFrom: true,
          },
        },
      ],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only src-main/app may import electron.' }] },
      ],
    },
  },
  {
    // Tool configs must default-export.
    files: ['*.config.ts', '*.config.js', 'eslint.config.js'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$)(?!\\.{1,2}/)',
              message: 'src-shared is pure TypeScript: it imports only zod and itself.',
            },
            {
              group: ['**/src-main/**', '**/src-renderer/**', '../../*'],
              message: 'src-shared imports only zod and itself.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**'],
              message: 'The renderer talks to the supervisor only through the contract (api.ts).',
            },
            {
              group: [...nodeBuiltins, ...nativeAndNodeOnly],
              message: 'The renderer runs in a sandboxed page: no Node, no native modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/app/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-main/gateway/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src-main/app may import electron.' }],
          patterns: [
            {
              group: ['**/supervisor/**', '**/app/**', '**/web/**'],
              message:
                'The gateway talks to the supervisor over the gateway protocol, never by import.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src-main/supervisor/**',
      'src-main/web/**',
      'src-main/store/**',
      'src-main/process/**',
      'src-main/cli/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only src-main/app may import electron: the supervisor core must run headless too.',
            },
          ],
          patterns: [
            {
              group: ['**/app/**', '**/src-renderer/**'],
              message: 'Node code never imports the Electron shell or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';

/** Test code may reach anything (the dev tenant, test helpers); product code only in its direction. */
const TESTS = ['**/*.test.ts', '**/*.test.tsx', 'tests/**', 'bench/**', 'scripts/**'];

/**
 * The dependency direction: server → tab/bot/shared; tab, bot → shared; shared → nothing of ours;
 * nothing in the product → devtenant. The tab (browser code) may use only shared's browser-safe part.
 */
const BOUNDARIES = [
  {
    target: './shared',
    from: ['./server', './bot', './tab', './devtenant', './tests', './bench', './scripts', './appPackage'],
    message: 'shared/ knows nothing of the rest of the app.',
  },
  {
    target: './bot',
    from: ['./server', './tab', './devtenant', './tests', './bench', './scripts', './appPackage'],
    message: 'bot/ may use shared/ only.',
  },
  {
    target: './tab',
    from: ['./server', './bot', './devtenant', './tests', './bench', './scripts', './appPackage'],
    message: 'tab/ is browser code: it may use shared/ only.',
  },
  {
    target: './tab',
    from: './shared',
    except: ['./api.ts', './domain', './errors.ts'],
    message: "tab/ may use shared/'s browser-safe part only (api.ts, domain/, errors.ts).",
  },
  {
    target: './server',
    from: ['./devtenant', './tests', './bench', './scripts'],
    message: 'The product never imports the dev tenant or test code.',
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'coverage/', '.devtenant/', 'appPackage/build/', 'test-results/', 'scratch/', 'scripts/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['server/**', 'shared/**', 'bot/**', 'tab/**'],
    ignores: TESTS,
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: BOUNDARIES }] },
  },
  {
    // Only bot/teams/ knows the bot framework: understanding and answers stay framework-free.
    files: ['bot/**'],
    ignores: ['bot/teams/**', ...TESTS],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@microsoft/teams-ai', 'botbuilder', 'botbuilder-*', 'botframework-*'],
              message: 'Only bot/teams/ knows teams-ai and botbuilder.',
            },
          ],
        },
      ],
    },
  },
  // Formatting is Prettier's (npm run lint runs prettier --check); no style rules that fight it.
  prettier,
);

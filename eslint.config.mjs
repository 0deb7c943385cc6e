// ESLint flat config, run by `npm run lint` (part of `npm test`). Formatting is Prettier's job (eslint-config-prettier
// turns off the rules that would fight it); max-len stays on for what Prettier cannot wrap: strings and comments.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    ignores: [
      '**/node_modules/',
      'dist/',
      'coverage/',
      'data/',
      'artifacts/',
      'bench/results/',
      'libs/persistence/src/drizzle/migrations/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Static factories such as InventoryItemDto.from are passed to map() on purpose; they do not use `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // HTTP statuses are plain numbers compared with Nest's numeric HttpStatus enum.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    // Tests read untyped response bodies (supertest, fetch) and fakes implement async ports synchronously.
    files: ['test/**/*.ts', '**/*.spec.ts', 'libs/core/src/testing/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['test/**/*.js'],
    languageOptions: { globals: { ...globals.jest } },
  },
  {
    files: ['apps/*/public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['libs/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Libraries take configuration as arguments; only apps/*/src/main.ts reads process.env.',
        },
      ],
    },
  },
  prettier,
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': [
        'error',
        { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true, ignorePattern: '^import\\s.+\\sfrom\\s.+;$' },
      ],
    },
  },
  {
    // A pgbench script: each SQL statement stays on its own line, verbatim.
    files: ['bench/reserve-path.sql.js'],
    rules: { '@stylistic/max-len': 'off' },
  },
);

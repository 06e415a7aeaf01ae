// Lint for the whole repository: typescript-eslint's recommended rules; type-aware promise rules
// for the host, the hub, shared/ and their tests; the React hooks rules for the renderer; and the
// one layering rule that is cheapest to catch at lint time (the electron and electron-updater
// packages outside the shell glue).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Code type-checked by the root tsconfig.json (Node side). The renderer has its own tsconfig.
const NODE_TYPESCRIPT = ['electron/**/*.ts', 'server/**/*.ts', 'shared/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'renderer/dist/**', 'coverage/**', 'tests/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // A promise nobody awaits loses its error (an unhandled rejection crashes the host or the
    // hub) and its ordering. Await it; `void` it only where fire-and-forget is meant and the
    // promise handles its own errors.
    files: NODE_TYPESCRIPT,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Says where the React Compiler would skip memoizing (TanStack Virtual); the build does not
      // run the compiler, so it is only noise.
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'server/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/window/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only electron/main.ts, electron/preload.ts and electron/window/ may import electron: take it through a port.',
            },
            {
              name: 'electron-updater',
              message:
                'Only electron/main.ts and electron/window/ may import electron-updater: take it through the Updater port (electron/updates).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);

// Type-checked lint for the TypeScript sources, tests, benchmarks and configs (flat config, ESLint 10).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'runs/', 'out/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Spelled out although the preset has it: an unawaited promise is the bug this linter is here for.
      '@typescript-eslint/no-floating-promises': 'error',
      // tsc's noUnusedLocals and noUnusedParameters already check this, with the same `_` convention.
      '@typescript-eslint/no-unused-vars': 'off',
      // Async implementations of async contracts (Store, Recommender) need no await: a throw still becomes a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript (this file) is outside tsconfig.json: lint it without type information.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);

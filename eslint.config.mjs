// ESLint flat config: typescript-eslint's recommended rules on every source file, plus the few type-aware rules
// that catch real bugs in this asynchronous code base for little cost: a promise nobody awaits (a write or an
// e-mail that may never happen, an error nobody sees), a promise handed where a callback's result is ignored,
// an await on something that is not a promise. Formatting is prettier's job (.prettierrc.json), not ESLint's.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeCommonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
};

export default tseslint.config(
  {
    // Generated or not ours: build output, local data, the generated OpenAPI document and the embedded font.
    ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'bench-results/', '.scratch/', 'lambdas/adapters/fonts/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // web/tsconfig.json: the browser script, type-checked with the DOM's types.
    languageOptions: { parserOptions: { project: ['./tsconfig.json', './web/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    rules: {
      // `_`-prefixed names say "unused on purpose" (a parameter a signature requires, a destructured field left out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // The Lambda code builds its schemas with zod/mini through lambdas/core/zod.ts, which installs zod's English
    // messages: classic zod would put ~90 KiB more into every bundle, and a bare zod/mini answers "Invalid input".
    // It talks to AWS through lambdas/adapters/aws-wire/ (README, "Bundle sizes"): an AWS SDK client brings
    // ~200 KiB of @smithy/core into every bundle that imports it. Local tooling, the CLI and tests may use both.
    files: ['lambdas/**/*.ts'],
    ignores: ['lambdas/core/zod.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'Import lambdas/core/zod.ts (zod/mini with English messages) instead.' }],
          patterns: [
            { regex: '^zod/', message: 'Import lambdas/core/zod.ts (zod/mini with English messages) instead.' },
            {
              group: ['@aws-sdk/*', '!@aws-sdk/util-dynamodb', '@smithy/*', '@aws-crypto/*'],
              message: 'Lambda code calls AWS through lambdas/adapters/aws-wire/ (the SDK clients are too big for a Lambda bundle).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeCommonJsGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

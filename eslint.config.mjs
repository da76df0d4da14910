// Lint: typescript-eslint's type-checked rules, plus the house rules (CONTRIBUTING.md): no floating promises,
// no nested ternaries, lines within 120 columns, functions within 60 lines.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-results/**',
      'server/freemarker/*.mjs',
      'scripts/*.mjs',
      // Plain CommonJS stand-ins esbuild puts in the description mock's bundle (scripts/build.mjs says why).
      'scripts/prism-stubs/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'no-nested-ternary': 'error',
      'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Specs: a describe() holds its its; the line and function limits apply to the product's code.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    // JSON.parse and page.evaluate answer `any`: specs read them as a person would, asserting on what they find.
    rules: {
      'max-lines-per-function': 'off',
      'max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true }],
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);

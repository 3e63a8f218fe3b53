// ESLint (flat config): the core recommended rules everywhere, typescript-eslint's type-aware recommended
// rules on TypeScript. Type-aware linting reads the same projects `npm run typecheck` checks, so run it
// after `npm run build`: the tests import the library from dist/, and without it they would see `any`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated or not ours: the build, coverage, the API reference; the notebooks are JSON run by tslab.
  { ignores: ['dist/', 'coverage/', 'docs/', 'notebooks/**/*.ipynb', '**/*.d.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // The explorer page (src/web) has its own browser project; everything else is in tsconfig.json.
      parserOptions: { project: ['./tsconfig.json', './tsconfig.web.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Browser shims implement Node's signatures and leave some parameters unused: they start with _.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Prettier owns the line breaks and never writes an ASI hazard; its chained calls (a `[` opening
    // a line) trip this rule, which eslint-config-prettier turns off for the same reason.
    rules: { 'no-unexpected-multiline': 'off' },
  },
  {
    // Series coefficients and reference values keep the digits their sources print (Cephes, Abramowitz
    // and Stegun, mpmath), so they can be checked against them; the parser rounds them to the nearest
    // double either way, so trimming them to 17 digits would change no number and lose the check.
    files: [
      'src/models/special.ts',
      'src/models/bouligand.ts',
      'test/unit/special.test.ts',
      'test/unit/bouligand.test.ts',
    ],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    // commander hands each action its parsed options as `any`; every command checks its own options
    // (one CurieError per bad value). Typing them here would need @commander-js/extra-typings.
    files: ['src/cli/main.ts', 'src/cli/program.ts'],
    rules: { '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    // The parity suite reads PyCurious's fixtures (JSON, hence `any`) and the argument tests pass values
    // of the wrong type on purpose; typing every fixture's schema would rewrite the suites and catch
    // nothing their assertions do not.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // Its page.evaluate/waitForFunction callbacks run in the explorer page, not in Node.
    files: ['bench/explore.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);

import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of sibling packages, not their build output.
const conditions = ['mediaferry-source'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/conformance/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One temporary folder for the whole run, removed at its end (see the file).
    globalSetup: ['test/setup/temp-root.ts'],
    setupFiles: ['test/setup/no-warnings.ts'],
    // Exposes gc() so the no-warnings check can surface file handles leaked to the garbage collector.
    execArgv: ['--expose-gc'],
  },
});
